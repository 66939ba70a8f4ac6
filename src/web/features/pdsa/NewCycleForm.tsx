import { type FormEvent, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, ErrorState, Select, TextField } from '../../components/index.ts';
import { formErrors, useFocusFirstInvalid } from '../coalition/forms.ts';
import type { PdsaCycle } from './model.ts';
import { useCreateChangeIdea, useCreatePdsaCycle, useNetworkChangeIdeas } from './queries.ts';

const NEW_IDEA = '__new__';

interface Values {
  title: string;
  changeIdeaId: string;
  newIdeaTitle: string;
  scale: string;
  plannedStart: string;
  previousCycleId: string;
}

/**
 * Plans a new cycle in a project: its title, the change idea it tests (one of the network's, or a
 * new one written here), its scale, when it should start and, optionally, the cycle it builds on.
 * On success it opens the new cycle's page at its Plan step.
 */
export function NewCycleForm({
  projectId,
  teamId,
  networkId,
  cycles,
  onCancel,
}: {
  projectId: string;
  teamId: string;
  networkId: string;
  cycles: readonly PdsaCycle[];
  onCancel: () => void;
}) {
  const navigate = useNavigate();
  const ideas = useNetworkChangeIdeas(networkId);
  const createIdea = useCreateChangeIdea();
  const create = useCreatePdsaCycle();
  const formRef = useRef<HTMLFormElement>(null);
  const [attempt, setAttempt] = useState(0);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [values, setValues] = useState<Values>({
    title: '',
    changeIdeaId: '',
    newIdeaTitle: '',
    scale: '',
    plannedStart: '',
    previousCycleId: '',
  });
  const set = (key: keyof Values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  const error = createIdea.error ?? create.error;
  const { errors, unexplained } = formErrors(error, clientErrors, [
    'title',
    'change_idea_id',
    'scale',
    'planned_start',
    'previous_cycle_id',
    'new_idea_title',
  ]);
  useFocusFirstInvalid(formRef, attempt, error ?? clientErrors);

  const ideaOptions = [
    ...(ideas.data ?? []).map((idea) => ({
      value: idea.id,
      label: idea.team_name ? `${idea.title} (${idea.team_name})` : idea.title,
    })),
    { value: NEW_IDEA, label: '+ A new change idea…' },
  ];
  // A cycle builds on one of the same change idea (and team): offer only those.
  const followable = cycles.filter(
    (c) => c.change_idea_id === values.changeIdeaId && c.team_id === teamId,
  );

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!values.title.trim()) found.title = 'Name the cycle: what will you try?';
    if (!values.changeIdeaId) found.change_idea_id = 'Choose the change idea this cycle tests.';
    if (values.changeIdeaId === NEW_IDEA && !values.newIdeaTitle.trim())
      found.new_idea_title = 'Name the new change idea.';
    setClientErrors(found);
    setAttempt((a) => a + 1);
    if (Object.keys(found).length > 0) return;
    createIdea.reset();
    create.reset();
    try {
      let changeIdeaId = values.changeIdeaId;
      if (changeIdeaId === NEW_IDEA) {
        const idea = await createIdea.mutateAsync({
          network_id: networkId,
          team_id: teamId,
          title: values.newIdeaTitle.trim(),
        });
        changeIdeaId = idea.id;
        setValues((v) => ({ ...v, changeIdeaId: idea.id, newIdeaTitle: '' }));
      }
      const created = await create.mutateAsync({
        project_id: projectId,
        change_idea_id: changeIdeaId,
        title: values.title.trim(),
        scale: values.scale.trim(),
        planned_start: values.plannedStart || null,
        previous_cycle_id: values.previousCycleId || null,
      });
      navigate(`/cycles/${created.data.id}`, {
        state: { notice: `Planned “${created.data.title}”. Write its questions and predictions.` },
      });
    } catch {
      setAttempt((a) => a + 1);
    }
  };

  return (
    <form
      ref={formRef}
      className="card pdsa-new"
      aria-labelledby="pdsa-new-heading"
      onSubmit={submit}
      noValidate
    >
      <h3 id="pdsa-new-heading">New PDSA cycle</h3>
      <p className="card__meta">
        A cycle is one small test of a change idea. Start small (one student, one class, one day),
        then ramp up in the next cycles.
      </p>
      <div className="form-grid">
        <TextField
          label="Title"
          hint="What will you try? e.g. “Daily 5-minute phonics warm-up with one student”."
          value={values.title}
          onChange={(e) => set('title')(e.target.value)}
          error={errors.title}
          maxLength={200}
          autoComplete="off"
        />
        <Select
          label="Change idea"
          hint="The idea this cycle tests. Cycles of one idea across teams show on its page."
          placeholder={ideas.isPending ? 'Loading the change ideas…' : 'Choose a change idea'}
          options={ideaOptions}
          value={values.changeIdeaId}
          onChange={(e) => {
            set('changeIdeaId')(e.target.value);
            set('previousCycleId')('');
          }}
          error={errors.change_idea_id}
        />
        {values.changeIdeaId === NEW_IDEA && (
          <TextField
            label="New change idea"
            hint="A short name for the idea; add its description and sources on its page later."
            value={values.newIdeaTitle}
            onChange={(e) => set('newIdeaTitle')(e.target.value)}
            error={errors.new_idea_title ?? errors.title}
            maxLength={200}
            autoComplete="off"
          />
        )}
        <TextField
          label="Scale"
          optional
          hint="Who or how much the test covers: “1 student”, “1 class”, “1 grade”."
          value={values.scale}
          onChange={(e) => set('scale')(e.target.value)}
          error={errors.scale}
          maxLength={200}
          autoComplete="off"
        />
        <TextField
          label="Planned start"
          optional
          type="date"
          value={values.plannedStart}
          onChange={(e) => set('plannedStart')(e.target.value)}
          error={errors.planned_start}
        />
        {followable.length > 0 && (
          <Select
            label="Follows cycle"
            optional
            hint="The cycle of the same idea this one builds on: it makes a ramp."
            placeholder="None: a first cycle"
            options={followable.map((c) => ({
              value: c.id,
              label: c.scale ? `${c.title} (${c.scale})` : c.title,
            }))}
            value={values.previousCycleId}
            onChange={(e) => set('previousCycleId')(e.target.value)}
            error={errors.previous_cycle_id}
          />
        )}
      </div>
      {ideas.isError && (
        <ErrorState
          headingLevel={3}
          title="Could not load the change ideas"
          error={ideas.error}
          onRetry={() => ideas.refetch()}
        />
      )}
      {unexplained !== undefined && (
        <ErrorState
          headingLevel={3}
          title={createIdea.error ? 'Could not add the change idea' : 'Could not plan the cycle'}
          error={unexplained}
        />
      )}
      <div className="form-actions">
        <Button
          type="submit"
          variant="primary"
          loading={create.isPending || createIdea.isPending}
          loadingLabel="Planning…"
        >
          Plan the cycle
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
