/**
 * "Link to…": the keyboard way to link a node. Checkboxes list every node it may sit under and
 * every node that may sit under it; each change applies at once (and can be undone). A change
 * idea can also be tied to a change idea record of the library.
 */
import { useId } from 'react';
import { Button } from '../Button.tsx';
import { Dialog } from '../Dialog.tsx';
import {
  childKinds,
  type DiagramContent,
  type DiagramNode,
  hasEdge,
  KIND_NAMES,
  nodesOfKind,
  parentKinds,
} from './model.ts';
import type { ChangeIdeaOption } from './shared.tsx';

export interface LinkDialogProps {
  open: boolean;
  content: DiagramContent;
  node: DiagramNode | undefined;
  changeIdeas?: readonly ChangeIdeaOption[] | undefined;
  onToggle: (from: string, to: string, linked: boolean) => void;
  onSetRecord: (nodeId: string, changeIdeaId: string | null) => void;
  onClose: () => void;
}

function Group({
  legend,
  candidates,
  checked,
  onChange,
}: {
  legend: string;
  candidates: DiagramNode[];
  checked: (n: DiagramNode) => boolean;
  onChange: (n: DiagramNode, on: boolean) => void;
}) {
  return (
    <fieldset className="dd-link__group">
      <legend className="field__label">{legend}</legend>
      {candidates.length === 0 ? (
        <p className="dd-link__none">None in the diagram yet.</p>
      ) : (
        candidates.map((n) => (
          <label key={n.id} className="dd-link__option">
            <input
              type="checkbox"
              checked={checked(n)}
              onChange={(e) => onChange(n, e.currentTarget.checked)}
            />
            <span>{n.label}</span>
          </label>
        ))
      )}
    </fieldset>
  );
}

export function LinkDialog({
  open,
  content,
  node,
  changeIdeas,
  onToggle,
  onSetRecord,
  onClose,
}: LinkDialogProps) {
  const selectId = useId();
  if (!node) return null;
  const up = parentKinds(node.kind);
  const down = childKinds(node.kind);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Link “${node.label}”`}
      actions={
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      <div className="dd-link">
        {up.map((kind) => (
          <Group
            key={`up-${kind}`}
            legend={`${KIND_NAMES[kind].many} it serves`}
            candidates={nodesOfKind(content, kind)}
            checked={(p) => hasEdge(content, p.id, node.id)}
            onChange={(p, on) => onToggle(p.id, node.id, on)}
          />
        ))}
        {down.map((kind) => (
          <Group
            key={`down-${kind}`}
            legend={`${KIND_NAMES[kind].many} under it`}
            candidates={nodesOfKind(content, kind)}
            checked={(c) => hasEdge(content, node.id, c.id)}
            onChange={(c, on) => onToggle(node.id, c.id, on)}
          />
        ))}
        {node.kind === 'change_idea' && changeIdeas && (
          <div className="field">
            <label className="field__label" htmlFor={selectId}>
              Change idea in the library
            </label>
            <select
              id={selectId}
              className="input"
              value={node.change_idea_id ?? ''}
              onChange={(e) => onSetRecord(node.id, e.currentTarget.value || null)}
            >
              <option value="">None</option>
              {node.change_idea_id && !changeIdeas.some((c) => c.id === node.change_idea_id) && (
                <option value={node.change_idea_id}>A record you cannot see</option>
              )}
              {changeIdeas.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
    </Dialog>
  );
}
