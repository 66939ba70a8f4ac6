import { useId, useState } from 'react';
import { Select, TextField } from '../../components/index.ts';
import { useDebouncedValue } from '../../lib/hooks.ts';
import { organisationTypeLabel } from '../organisations/model.ts';
import { useOrganisationList } from '../organisations/queries.ts';

export interface PickedOrganisation {
  id: string;
  name: string;
}

export interface OrganisationPickerProps {
  value: PickedOrganisation | null;
  onChange: (value: PickedOrganisation | null) => void;
  error?: string | undefined;
}

/**
 * Picks an organisation from the Map: a search box narrows the list (listOrganisations `?q=`),
 * and a plain select holds the choice, so the keyboard and screen readers work as usual. The
 * current choice stays in the list whatever the search.
 */
export function OrganisationPicker({ value, onChange, error }: OrganisationPickerProps) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 300);
  const list = useOrganisationList({ q, type: '' });
  const found = list.data?.pages[0]?.items ?? [];
  const statusId = useId();

  const options = [
    ...(value && !found.some((o) => o.id === value.id)
      ? [{ value: value.id, label: value.name }]
      : []),
    ...found.map((o) => ({ value: o.id, label: `${o.name} (${organisationTypeLabel(o.type)})` })),
  ];
  const more = list.data?.pages[0]?.next_cursor ? ' Type more of the name to narrow it.' : '';
  const status = list.isPending
    ? 'Searching the map…'
    : list.isError
      ? 'Could not search the map; the current choice is kept.'
      : found.length === 0
        ? `No organisation on the map matches “${q}”.`
        : `${found.length} ${found.length === 1 ? 'organisation' : 'organisations'}${
            q ? ` match “${q}”` : ' on the map'
          }.${more}`;

  return (
    <fieldset className="field picker">
      <legend className="field__label">
        Organisation <span className="field__optional">(optional)</span>
      </legend>
      <div className="field__hint">
        The school, district or other organisation on the Map that this team works in.
      </div>
      <TextField
        label="Search the map"
        type="search"
        autoComplete="off"
        placeholder="Part of the name…"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <Select
        label="Choose the organisation"
        placeholder="No organisation"
        options={options}
        value={value?.id ?? ''}
        error={error}
        onChange={(e) => {
          const id = e.target.value;
          if (!id) return onChange(null);
          const org = found.find((o) => o.id === id);
          onChange(org ? { id: org.id, name: org.name } : value);
        }}
      />
      <div className="field__hint" id={statusId} role="status">
        {status}
      </div>
    </fieldset>
  );
}
