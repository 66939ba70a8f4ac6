/**
 * The driver diagram editor. Controlled: every change is handed to `onChange` as new content (the
 * page saves it); an undo stack of the last 50 changes lives here. The diagram is one tab stop
 * (roving tabindex over the boxes): arrow keys move between boxes, letters add, Enter renames,
 * Delete removes (with Undo), Alt+arrows reorder, L opens "Link to…"; by mouse, the toolbar's
 * buttons do the same and a box dragged onto another re-links it. Changes are announced.
 */
import {
  type KeyboardEvent,
  type PointerEvent,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Button } from '../Button.tsx';
import { DiagramOutline } from './DiagramOutline.tsx';
import { DIAGRAM_COLOURS, DiagramSvg, describeDiagram, svgTextIds } from './DiagramSvg.tsx';
import { DriverDiagramView } from './DriverDiagramView.tsx';
import { LinkDialog } from './LinkDialog.tsx';
import { AIM_ID, type DiagramLayout, type LaidOutNode, layoutDiagram, nodeAt } from './layout.ts';
import {
  addNode,
  childrenOf,
  type DiagramContent,
  DiagramError,
  type DiagramNode,
  dropAction,
  KIND_NAMES,
  LABEL_MAX,
  link,
  moveNode,
  moveNodeTo,
  type NodeKind,
  newNodeId,
  nodeById,
  parentsOf,
  relink,
  removeNode,
  renameNode,
  setAim,
  setChangeIdeaRecord,
  suggestParents,
  unlink,
  validateDiagram,
} from './model.ts';
import { type ChangeIdeaOption, ExportButtons, NOT_IN_NETWORK, useBadges } from './shared.tsx';
import '../../styles/driver-diagram.css';

export interface DriverDiagramEditorProps {
  content: DiagramContent;
  onChange: (next: DiagramContent) => void;
  /** Change idea records a change idea node may stand for. */
  changeIdeas?: readonly ChangeIdeaOption[] | undefined;
  /** Shows the diagram without editing (DriverDiagramView). */
  readOnly?: boolean;
  /** The network's diagram: nodes not in it (by kind and label) are marked. */
  compareWith?: DiagramContent | undefined;
  /** The heading over the editor and the exports' title. */
  title?: string;
  headingLevel?: 2 | 3;
}

interface HistoryEntry {
  content: DiagramContent;
  message: string;
}

interface Editing {
  id: string;
  draft: string;
  /** Just added: Escape removes it again, and the rename joins the add in the undo stack. */
  isNew: boolean;
  /** The box selected before (focused again when a new item is cancelled). */
  returnTo: string;
}

interface DragState {
  id: string;
  pointerId: number;
  startX: number;
  startY: number;
  active: boolean;
  x: number;
  y: number;
  targetId: string | null;
  shift: boolean;
}

const HISTORY = 50;

const NEW_LABELS: Record<NodeKind, string> = {
  primary: 'New primary driver',
  secondary: 'New secondary driver',
  change_idea: 'New change idea',
};

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl';

function quote(label: string): string {
  return `“${label.length > 60 ? `${label.slice(0, 57)}…` : label}”`;
}

function kindWord(kind: NodeKind): string {
  return KIND_NAMES[kind].one.toLowerCase();
}

/** The boxes by column, top to bottom: the keyboard's map of the diagram. */
function navColumns(layout: DiagramLayout): LaidOutNode[][] {
  return [
    [layout.aim],
    ...(['primary', 'secondary', 'change_idea'] as const).map((k) =>
      layout.nodes.filter((n) => n.kind === k),
    ),
  ];
}

function nodeLabel(
  content: DiagramContent,
  n: LaidOutNode,
  notInNetwork: ReadonlySet<string>,
  hints: Map<string, string[]>,
): string {
  if (n.id === AIM_ID) return `Aim: ${content.aim.trim() || 'not written yet'}`;
  const node = nodeById(content, n.id);
  if (!node) return '';
  const parts = [`${KIND_NAMES[node.kind].one} ${n.index + 1} of ${n.count}: ${node.label}.`];
  const parents = parentsOf(content, node.id);
  if (parents.length) parts.push(`Under ${parents.map((p) => p.label).join('; ')}.`);
  const kids = childrenOf(content, node.id);
  if (kids.length) parts.push(`Leads to ${kids.length} ${kids.length === 1 ? 'item' : 'items'}.`);
  if (notInNetwork.has(node.id)) parts.push(`${NOT_IN_NETWORK}.`);
  if (node.change_idea_id) parts.push('Linked to a change idea record.');
  for (const h of hints.get(node.id) ?? []) parts.push(`Hint: ${h}`);
  return parts.join(' ');
}

export function DriverDiagramEditor(props: DriverDiagramEditorProps) {
  if (props.readOnly) {
    return (
      <div data-testid="driver-diagram">
        <DriverDiagramView
          content={props.content}
          title={props.title}
          headingLevel={props.headingLevel}
          compareWith={props.compareWith}
          changeIdeas={props.changeIdeas}
        />
      </div>
    );
  }
  return <Editor {...props} />;
}

function Editor({
  content,
  onChange,
  changeIdeas,
  compareWith,
  title = 'Driver diagram',
  headingLevel = 2,
}: DriverDiagramEditorProps) {
  const id = useId();
  const svgRef = useRef<SVGSVGElement>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const editRef = useRef<HTMLTextAreaElement>(null);
  const [activeId, setActiveId] = useState<string>(AIM_ID);
  const [editing, setEditing] = useState<Editing | null>(null);
  const editingRef = useRef<Editing | null>(null);
  editingRef.current = editing;
  const [past, setPast] = useState<HistoryEntry[]>([]);
  const [future, setFuture] = useState<HistoryEntry[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [toast, setToast] = useState<string | null>(null);
  const [linkOpen, setLinkOpen] = useState(false);
  /** "Link to…" was opened from a box (L): focus goes back there (the dialog only restores HTML). */
  const linkFromBox = useRef(false);
  const [listOpen, setListOpen] = useState(false);
  const [drag, setDrag] = useState<DragState | null>(null);
  const dragRef = useRef<DragState | null>(null);
  const pendingFocus = useRef<string | null>(null);
  // The latest content, also between an apply and the parent's re-render.
  const contentRef = useRef(content);
  contentRef.current = content;
  const emitted = useRef(JSON.stringify(content));

  // Content replaced from outside (a reload after a conflict): the undo stack no longer applies.
  useEffect(() => {
    const text = JSON.stringify(content);
    if (text !== emitted.current) {
      emitted.current = text;
      setPast([]);
      setFuture([]);
      setToast(null);
    }
  }, [content]);

  const { notInNetwork, badges } = useBadges(content, compareWith, changeIdeas);
  const layout = useMemo(() => layoutDiagram(content, { badges }), [content, badges]);
  const issues = useMemo(() => validateDiagram(content), [content]);
  const hints = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const i of issues) {
      if (!i.nodeId) continue;
      map.set(i.nodeId, [...(map.get(i.nodeId) ?? []), i.message]);
    }
    return map;
  }, [issues]);
  const warningIds = useMemo(() => new Set(hints.keys()), [hints]);
  const columns = useMemo(() => navColumns(layout), [layout]);

  const active = layout.byId.has(activeId) ? activeId : AIM_ID;
  const activeNode = active === AIM_ID ? undefined : nodeById(content, active);

  const announce = useCallback((message: string) => {
    // A different string each time, so the same words are read again.
    setAnnouncement((old) => (old === message ? `${message}\u00a0` : message));
  }, []);

  const emit = (next: DiagramContent) => {
    contentRef.current = next;
    emitted.current = JSON.stringify(next);
    onChange(next);
  };

  /** Hands `next` to the page and remembers the content before it for undo. */
  const apply = (
    next: DiagramContent,
    message: string,
    options: { focus?: string; toast?: boolean; joinLast?: boolean } = {},
  ) => {
    const before = contentRef.current;
    if (next === before) {
      announce(message);
      return;
    }
    if (!options.joinLast)
      setPast((p) => [...p.slice(-(HISTORY - 1)), { content: before, message }]);
    setFuture([]);
    emit(next);
    announce(message);
    setToast(options.toast ? message : null);
    if (options.focus) pendingFocus.current = options.focus;
  };

  const tryApply = (make: () => DiagramContent, message: string, options = {}) => {
    try {
      apply(make(), message, options);
    } catch (error) {
      announce(error instanceof DiagramError ? error.message : 'That change could not be made.');
    }
  };

  const undo = () => {
    const last = past[past.length - 1];
    if (!last) {
      announce('Nothing to undo.');
      return;
    }
    setPast(past.slice(0, -1));
    setFuture([...future, { content: contentRef.current, message: last.message }]);
    emit(last.content);
    setToast(null);
    setEditing(null);
    announce(`Undone: ${last.message}`);
  };

  const redo = () => {
    const next = future[future.length - 1];
    if (!next) {
      announce('Nothing to redo.');
      return;
    }
    setFuture(future.slice(0, -1));
    setPast([...past, { content: contentRef.current, message: next.message }]);
    emit(next.content);
    announce(`Redone: ${next.message}`);
  };

  // Focus a box after the change that moved, added or removed it has been drawn.
  useLayoutEffect(() => {
    const target = pendingFocus.current;
    if (!target || editing) return;
    pendingFocus.current = null;
    const el = svgRef.current?.querySelector<SVGGElement>(`[data-nav-id="${CSS.escape(target)}"]`);
    if (el) {
      setActiveId(target);
      el.focus();
    }
  });

  useEffect(() => {
    if (!editing) return;
    const el = editRef.current;
    if (el && document.activeElement !== el) {
      el.focus();
      el.select();
    }
  }, [editing]);

  // --- Operations -------------------------------------------------------------------------------

  const add = (kind: NodeKind) => {
    const before = contentRef.current;
    const parents = suggestParents(before, kind, active === AIM_ID ? null : active);
    const newId = newNodeId(before);
    const where = parents.length ? ` under ${parents.map((p) => quote(p.label)).join(', ')}` : '';
    try {
      const next = addNode(
        before,
        kind,
        NEW_LABELS[kind],
        parents.map((p) => p.id),
        newId,
      );
      apply(next, `Added a ${kindWord(kind)}${where}. Type its label, then press Enter.`);
      setActiveId(newId);
      setEditing({ id: newId, draft: NEW_LABELS[kind], isNew: true, returnTo: active });
    } catch (error) {
      announce(error instanceof DiagramError ? error.message : 'The item could not be added.');
    }
  };

  const startRename = (nodeId: string) => {
    const label = nodeId === AIM_ID ? content.aim : nodeById(content, nodeId)?.label;
    if (label === undefined) return;
    setActiveId(nodeId);
    setEditing({ id: nodeId, draft: label, isNew: false, returnTo: nodeId });
  };

  const finishRename = (commit: boolean) => {
    const e = editingRef.current;
    if (!e) return;
    editingRef.current = null;
    setEditing(null);
    pendingFocus.current = e.id;
    const text = e.draft.replace(/\s+/g, ' ').trim();
    if (e.id === AIM_ID) {
      if (commit && text !== content.aim)
        apply(
          setAim(contentRef.current, text),
          text ? `Aim set to ${quote(text)}.` : 'Aim cleared.',
          {
            focus: AIM_ID,
          },
        );
      return;
    }
    if (e.isNew && (!commit || !text)) {
      // Cancelling a new item takes it away again, and its entry in the undo stack.
      const last = past[past.length - 1];
      setPast((p) => p.slice(0, -1));
      if (last) emit(last.content);
      pendingFocus.current = e.returnTo;
      setActiveId(e.returnTo);
      announce('Not added.');
      return;
    }
    if (!commit) {
      announce('Rename cancelled.');
      return;
    }
    if (!text) {
      announce('A label cannot be empty: the old label is kept.');
      return;
    }
    tryApply(
      () => renameNode(contentRef.current, e.id, text),
      e.isNew ? `Added ${quote(text)}.` : `Renamed to ${quote(text)}.`,
      { focus: e.id, joinLast: e.isNew },
    );
  };

  const remove = (nodeId: string) => {
    const node = nodeById(contentRef.current, nodeId);
    if (!node) return;
    const column = columns.find((c) => c.some((n) => n.id === nodeId)) ?? [];
    const k = column.findIndex((n) => n.id === nodeId);
    const neighbour = column[k + 1] ?? column[k - 1];
    const parent = parentsOf(contentRef.current, nodeId)[0];
    const focus = neighbour?.id ?? parent?.id ?? AIM_ID;
    apply(
      removeNode(contentRef.current, nodeId),
      `Deleted ${kindWord(node.kind)} ${quote(node.label)}.`,
      { focus, toast: true },
    );
  };

  const move = (nodeId: string, by: -1 | 1) => {
    const node = nodeById(contentRef.current, nodeId);
    if (!node) return;
    const next = moveNode(contentRef.current, nodeId, by);
    if (next === contentRef.current) {
      announce(by < 0 ? 'Already at the top.' : 'Already at the bottom.');
      return;
    }
    const list = next.nodes.filter((n) => n.kind === node.kind);
    const place = list.findIndex((n) => n.id === nodeId) + 1;
    apply(
      next,
      `Moved ${quote(node.label)} ${by < 0 ? 'up' : 'down'}: ${place} of ${list.length}.`,
      {
        focus: nodeId,
      },
    );
  };

  const toggleLink = (from: string, to: string, on: boolean) => {
    const c = contentRef.current;
    const a = nodeById(c, from);
    const b = nodeById(c, to);
    if (!a || !b) return;
    tryApply(
      () => (on ? link(c, from, to) : unlink(c, from, to)),
      on
        ? `Linked ${quote(b.label)} under ${quote(a.label)}.`
        : `Unlinked ${quote(b.label)} from ${quote(a.label)}.`,
    );
  };

  const setRecord = (nodeId: string, record: string | null) => {
    const title = changeIdeas?.find((c) => c.id === record)?.title;
    tryApply(
      () => setChangeIdeaRecord(contentRef.current, nodeId, record),
      record
        ? `Linked to the change idea record ${quote(title ?? record)}.`
        : 'Unlinked from the change idea record.',
    );
  };

  const drop = (dragged: string, target: string, keep: boolean) => {
    const c = contentRef.current;
    const action = dropAction(c, dragged, target);
    const a = nodeById(c, dragged);
    const b = nodeById(c, target);
    if (!action || !a || !b) return;
    if (action.kind === 'reorder') {
      const next = moveNodeTo(c, dragged, target);
      const list = next.nodes.filter((n) => n.kind === a.kind);
      const place = list.findIndex((n) => n.id === dragged) + 1;
      apply(next, `Moved ${quote(a.label)} to place ${place} of ${list.length}.`, {
        focus: dragged,
      });
      return;
    }
    const parent = nodeById(c, action.parentId) as DiagramNode;
    const child = nodeById(c, action.childId) as DiagramNode;
    tryApply(
      () => relink(c, child.id, parent.id, keep),
      keep
        ? `Also linked ${quote(child.label)} under ${quote(parent.label)}.`
        : `Moved ${quote(child.label)} under ${quote(parent.label)}.`,
      { focus: dragged },
    );
  };

  // --- Keyboard ---------------------------------------------------------------------------------

  const focusNode = (nodeId: string) => {
    pendingFocus.current = nodeId;
    setActiveId(nodeId);
    svgRef.current?.querySelector<SVGGElement>(`[data-nav-id="${CSS.escape(nodeId)}"]`)?.focus();
  };

  const neighbourAcross = (from: LaidOutNode, dir: -1 | 1): LaidOutNode | undefined => {
    const ci = columns.findIndex((c) => c.some((n) => n.id === from.id));
    let j = ci + dir;
    while (j >= 0 && j < columns.length && (columns[j]?.length ?? 0) === 0) j += dir;
    const column = columns[j];
    if (!column?.length) return undefined;
    // Prefer a box linked to this one, then the nearest by height.
    const linked = new Set(
      from.id === AIM_ID
        ? column.map((n) => n.id)
        : (dir < 0 ? parentsOf(content, from.id) : childrenOf(content, from.id)).map((n) => n.id),
    );
    if (dir < 0 && column[0]?.id === AIM_ID) return column[0];
    const pool = column.some((n) => linked.has(n.id))
      ? column.filter((n) => linked.has(n.id))
      : column;
    const mid = from.y + from.height / 2;
    return [...pool].sort(
      (p, q) => Math.abs(p.y + p.height / 2 - mid) - Math.abs(q.y + q.height / 2 - mid),
    )[0];
  };

  const onNodeKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    if (editing) return;
    if (event.key === 'Escape' && dragRef.current) {
      dragRef.current = null;
      setDrag(null);
      announce('Drag cancelled.');
      return;
    }
    const current = layout.byId.get(active);
    if (!current) return;
    const column = columns.find((c) => c.some((n) => n.id === current.id)) ?? [];
    const k = column.findIndex((n) => n.id === current.id);
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key;
    let handled = true;
    if (event.altKey && (key === 'ArrowUp' || key === 'ArrowDown')) {
      if (activeNode) move(activeNode.id, key === 'ArrowUp' ? -1 : 1);
    } else if (mod || event.altKey) {
      handled = false;
    } else if (key === 'ArrowUp' || key === 'ArrowDown') {
      const next = column[k + (key === 'ArrowUp' ? -1 : 1)];
      if (next) focusNode(next.id);
    } else if (key === 'ArrowLeft' || key === 'ArrowRight') {
      const next = neighbourAcross(current, key === 'ArrowLeft' ? -1 : 1);
      if (next) focusNode(next.id);
    } else if (key === 'Home' || key === 'End') {
      const next = key === 'Home' ? column[0] : column[column.length - 1];
      if (next) focusNode(next.id);
    } else if (key === 'Enter' || key === 'F2') {
      startRename(current.id);
    } else if (key === 'Delete' || key === 'Backspace') {
      if (activeNode) remove(activeNode.id);
    } else if (key === 'p' || key === 'P') {
      add('primary');
    } else if (key === 's' || key === 'S') {
      add('secondary');
    } else if (key === 'c' || key === 'C') {
      add('change_idea');
    } else if (key === 'l' || key === 'L') {
      if (activeNode) {
        linkFromBox.current = true;
        setLinkOpen(true);
      }
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  };

  const onEditorKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select, dialog')) return;
    const mod = event.ctrlKey || event.metaKey;
    if (!mod || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === 'z' && !event.shiftKey) {
      event.preventDefault();
      undo();
    } else if ((key === 'z' && event.shiftKey) || key === 'y') {
      event.preventDefault();
      redo();
    }
  };

  // --- Pointer (drag a box onto another) ---------------------------------------------------------

  const toSvg = (event: PointerEvent) => {
    const rect = svgRef.current?.getBoundingClientRect();
    if (!rect) return { x: 0, y: 0 };
    return {
      x: ((event.clientX - rect.left) * layout.width) / (rect.width || layout.width),
      y: ((event.clientY - rect.top) * layout.height) / (rect.height || layout.height),
    };
  };

  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if (event.button !== 0 || editing) return;
    const el = (event.target as Element).closest('[data-node-id]');
    const nodeId = el?.getAttribute('data-node-id');
    if (!nodeId) return;
    const p = toSvg(event);
    dragRef.current = {
      id: nodeId,
      pointerId: event.pointerId,
      startX: event.clientX,
      startY: event.clientY,
      active: false,
      x: p.x,
      y: p.y,
      targetId: null,
      shift: event.shiftKey,
    };
  };

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const d = dragRef.current;
    if (!d || d.pointerId !== event.pointerId) return;
    if (!d.active) {
      if (Math.hypot(event.clientX - d.startX, event.clientY - d.startY) < 6) return;
      d.active = true;
      svgRef.current?.setPointerCapture(event.pointerId);
    }
    const p = toSvg(event);
    const over = nodeAt(layout, p.x, p.y);
    const targetId =
      over && dropAction(contentRef.current, d.id, over.id) !== null ? over.id : null;
    const next = { ...d, x: p.x, y: p.y, targetId, shift: event.shiftKey };
    dragRef.current = next;
    setDrag(next);
  };

  const endDrag = (event: PointerEvent<SVGSVGElement>, commit: boolean) => {
    const d = dragRef.current;
    if (!d || d.pointerId !== event.pointerId) return;
    dragRef.current = null;
    setDrag(null);
    if (svgRef.current?.hasPointerCapture(event.pointerId))
      svgRef.current.releasePointerCapture(event.pointerId);
    if (!d.active) return;
    if (commit && d.targetId) drop(d.id, d.targetId, event.shiftKey);
    else if (commit) announce('Dropped outside a box: nothing changed.');
  };

  // --- Drawing ----------------------------------------------------------------------------------

  const editingBox = editing ? layout.byId.get(editing.id) : undefined;
  const activeBox = layout.byId.get(active);
  const dragNode = drag?.active ? nodeById(content, drag.id) : undefined;
  const dragTarget = drag?.targetId ? layout.byId.get(drag.targetId) : undefined;
  const dragAction =
    drag?.active && drag.targetId ? dropAction(content, drag.id, drag.targetId) : null;
  const dragVerb =
    dragAction?.kind === 'reorder' ? 'Move here' : drag?.shift ? 'Also link here' : 'Move under';
  const helpId = `${id}-help`;
  const Heading = `h${headingLevel}` as 'h2' | 'h3';
  const disabledIfAim = activeNode ? undefined : true;
  const kindsList = (nodeId: string) => {
    const n = nodeById(content, nodeId);
    return n ? `${kindWord(n.kind)} ${quote(n.label)}` : '';
  };
  const addHint = (kind: NodeKind) => {
    const parents = suggestParents(content, kind, active === AIM_ID ? null : active);
    return parents.length
      ? `Under ${parents.map((p) => quote(p.label)).join(', ')}`
      : 'Not linked yet';
  };
  const errors = issues.filter((i) => i.severity === 'error');
  const warnings = issues.filter((i) => i.severity === 'warning');

  return (
    <section
      className="dd-editor"
      data-testid="driver-diagram"
      aria-labelledby={`${id}-title`}
      onKeyDown={onEditorKeyDown}
    >
      <div className="dd-editor__header">
        <Heading className="dd-view__title" id={`${id}-title`}>
          {title}
        </Heading>
        {compareWith && notInNetwork.size > 0 && (
          <span className="dd-view__legend">
            <span className="dd-legend-dash" aria-hidden="true" /> Dashed: not in the network’s
            diagram ({notInNetwork.size})
          </span>
        )}
      </div>

      <div className="dd-actions">
        {(['primary', 'secondary', 'change_idea'] as const).map((kind) => (
          <span key={kind} className="dd-actions__add">
            <Button
              variant={kind === 'primary' ? 'primary' : 'secondary'}
              onClick={() => add(kind)}
              aria-describedby={`${id}-add-${kind}`}
              aria-keyshortcuts={kind === 'primary' ? 'P' : kind === 'secondary' ? 'S' : 'C'}
            >
              {kind === 'change_idea' ? 'Add change idea' : `Add ${kindWord(kind)}`}
            </Button>
            <span className="dd-actions__hint" id={`${id}-add-${kind}`}>
              {kind === 'primary' ? 'Under the aim' : addHint(kind)}
            </span>
          </span>
        ))}
        <span className="dd-actions__spacer" />
        <Button
          onClick={undo}
          aria-disabled={past.length === 0 || undefined}
          aria-keyshortcuts="Control+Z"
        >
          Undo
        </Button>
        <Button
          onClick={redo}
          aria-disabled={future.length === 0 || undefined}
          aria-keyshortcuts="Control+Y"
        >
          Redo
        </Button>
      </div>

      <div className="dd-actions dd-actions--selection">
        <span className="dd-actions__selected">
          Selected: {active === AIM_ID ? 'the aim' : kindsList(active)}
        </span>
        <Button onClick={() => startRename(active)} aria-keyshortcuts="F2">
          Rename
        </Button>
        <Button
          onClick={() => activeNode && remove(activeNode.id)}
          aria-disabled={disabledIfAim}
          aria-keyshortcuts="Delete"
        >
          Delete
        </Button>
        <Button
          onClick={() => activeNode && move(activeNode.id, -1)}
          aria-disabled={disabledIfAim}
          aria-keyshortcuts="Alt+ArrowUp"
        >
          Move up
        </Button>
        <Button
          onClick={() => activeNode && move(activeNode.id, 1)}
          aria-disabled={disabledIfAim}
          aria-keyshortcuts="Alt+ArrowDown"
        >
          Move down
        </Button>
        <Button
          onClick={() => {
            if (!activeNode) return;
            linkFromBox.current = false;
            setLinkOpen(true);
          }}
          aria-disabled={disabledIfAim}
          aria-haspopup="dialog"
          aria-keyshortcuts="L"
        >
          Link to…
        </Button>
      </div>

      {toast && (
        <div className="dd-toast">
          <span>{toast}</span>
          <Button variant="ghost" onClick={undo}>
            Undo
          </Button>
          <Button variant="ghost" onClick={() => setToast(null)} aria-label="Dismiss">
            ×
          </Button>
        </div>
      )}

      <div className="dd-canvas" ref={canvasRef}>
        <div className="dd-canvas__inner" style={{ width: layout.width, height: layout.height }}>
          <DiagramSvg
            layout={layout}
            title={title}
            description={describeDiagram(layout, content.aim)}
            svgRef={svgRef}
            idPrefix={id}
            warnings={warningIds}
            dashed={notInNetwork}
            highlightNode={active}
            svgProps={{
              role: 'listbox',
              'aria-labelledby': svgTextIds(id).title,
              'aria-describedby': helpId,
              className: drag?.active ? 'dd-svg dd-svg--dragging' : 'dd-svg',
              onKeyDown: onNodeKeyDown,
              onPointerDown,
              onPointerMove,
              onPointerUp: (e) => endDrag(e, true),
              onPointerCancel: (e) => endDrag(e, false),
              onFocus: (e) => {
                const nav = (e.target as Element).getAttribute?.('data-nav-id');
                if (nav) setActiveId(nav);
              },
            }}
            columnProps={(key) => ({
              role: 'group',
              'aria-label': key === 'aim' ? 'Aim' : KIND_NAMES[key].many,
            })}
            nodeProps={(n) => ({
              className: 'dd-node',
              role: 'option',
              'aria-selected': n.id === active,
              'aria-label': nodeLabel(content, n, notInNetwork, hints),
              'data-nav-id': n.id,
              tabIndex: n.id === active ? 0 : -1,
              opacity: drag?.active && drag.id === n.id ? 0.45 : undefined,
              onDoubleClick: () => startRename(n.id),
            })}
          >
            {activeBox && (
              <rect
                data-export="skip"
                x={activeBox.x - 3}
                y={activeBox.y - 3}
                width={activeBox.width + 6}
                height={activeBox.height + 6}
                rx={6}
                fill="none"
                stroke={DIAGRAM_COLOURS.accent}
                strokeWidth={2}
                pointerEvents="none"
              />
            )}
            {dragTarget && (
              <g data-export="skip" pointerEvents="none">
                <rect
                  x={dragTarget.x - 5}
                  y={dragTarget.y - 5}
                  width={dragTarget.width + 10}
                  height={dragTarget.height + 10}
                  rx={8}
                  fill="none"
                  stroke={DIAGRAM_COLOURS.success}
                  strokeWidth={3}
                  strokeDasharray="6 3"
                />
              </g>
            )}
            {dragNode && drag && (
              <g data-export="skip" pointerEvents="none">
                <rect
                  x={drag.x + 10}
                  y={drag.y + 10}
                  width={200}
                  height={44}
                  rx={6}
                  fill="#ffffff"
                  stroke={DIAGRAM_COLOURS.accent}
                  strokeWidth={1.5}
                  opacity={0.95}
                />
                <text x={drag.x + 20} y={drag.y + 28} fill={DIAGRAM_COLOURS.text} fontWeight={600}>
                  {dragNode.label.length > 26 ? `${dragNode.label.slice(0, 25)}…` : dragNode.label}
                </text>
                <text x={drag.x + 20} y={drag.y + 45} fill={DIAGRAM_COLOURS.muted} fontSize={11}>
                  {dragTarget ? `${dragVerb} (Shift: keep old link)` : 'Drop on a box'}
                </text>
              </g>
            )}
          </DiagramSvg>
          {editing && editingBox && (
            <textarea
              ref={editRef}
              className="dd-rename"
              aria-label={editing.id === AIM_ID ? 'Aim' : `Label of the ${kindsList(editing.id)}`}
              aria-describedby={`${id}-rename-help`}
              maxLength={editing.id === AIM_ID ? undefined : LABEL_MAX}
              value={editing.draft}
              style={{
                left: editingBox.x - 4,
                top: editingBox.y - 4,
                width: editingBox.width + 8,
                height: Math.max(editingBox.height + 8, 72),
              }}
              onChange={(e) => {
                const draft = e.currentTarget.value;
                setEditing((old) => (old ? { ...old, draft } : old));
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  finishRename(true);
                } else if (e.key === 'Escape') {
                  e.preventDefault();
                  e.stopPropagation();
                  finishRename(false);
                }
              }}
              onBlur={() => finishRename(true)}
            />
          )}
        </div>
      </div>
      <p className="visually-hidden" id={`${id}-rename-help`}>
        Enter saves the label, Escape cancels.
      </p>

      <details className="dd-help">
        <summary>Keyboard and mouse</summary>
        <div id={helpId}>
          <p className="dd-help__lead">
            The diagram is one stop for Tab. Arrow keys move between boxes; letters act on the
            selected box.
          </p>
          <dl className="dd-help__keys">
            <dt>↑ ↓ ← →, Home, End</dt>
            <dd>Move between boxes (← and → go to a linked box in the next column)</dd>
            <dt>P / S / C</dt>
            <dd>
              Add a primary driver / a secondary driver under the selected primary / a change idea
              under the selected secondary
            </dd>
            <dt>Enter or F2</dt>
            <dd>Rename (Enter saves, Escape cancels)</dd>
            <dt>Delete</dt>
            <dd>Delete the selected box (Undo brings it back)</dd>
            <dt>Alt + ↑ / ↓</dt>
            <dd>Move the box up or down in its column</dd>
            <dt>L</dt>
            <dd>Link to…: choose what it serves and what sits under it</dd>
            <dt>
              {MOD} + Z, {MOD} + Y
            </dt>
            <dd>Undo, redo</dd>
            <dt>Mouse</dt>
            <dd>
              Drag a box onto another to move it under that box; hold Shift to keep its old link
              too. Dropped on a box of its own column, it takes that place. Double-click renames.
            </dd>
          </dl>
        </div>
      </details>

      {(errors.length > 0 || warnings.length > 0) && (
        <div className="dd-hints">
          {errors.length > 0 && (
            <div className="alert alert--error">
              <p className="alert__title">The server will not accept this diagram yet</p>
              <ul>
                {errors.map((i, n) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat
                  <li key={n}>{i.message}</li>
                ))}
              </ul>
            </div>
          )}
          {warnings.length > 0 && (
            <div className="dd-hints__warnings">
              <p className="dd-hints__title">
                <span aria-hidden="true" className="dd-hints__mark">
                  !
                </span>{' '}
                {warnings.length === 1 ? '1 hint' : `${warnings.length} hints`} (saving still works)
              </p>
              <ul>
                {warnings.map((i, n) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat
                  <li key={n}>
                    {i.message}{' '}
                    {i.nodeId && (
                      <Button
                        variant="ghost"
                        className="dd-hints__go"
                        onClick={() => i.nodeId && focusNode(i.nodeId)}
                      >
                        Show<span className="visually-hidden"> {i.message}</span>
                      </Button>
                    )}
                    {!i.nodeId && (
                      <Button
                        variant="ghost"
                        className="dd-hints__go"
                        onClick={() => startRename(AIM_ID)}
                      >
                        Write the aim
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}

      <div className="dd-actions">
        <Button aria-expanded={listOpen} onClick={() => setListOpen((o) => !o)}>
          {listOpen ? 'Hide list' : 'Show as list'}
        </Button>
        <ExportButtons svgRef={svgRef} content={content} title={title} />
      </div>
      {listOpen && (
        <DiagramOutline content={content} notInNetwork={compareWith ? notInNetwork : undefined} />
      )}

      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>

      <LinkDialog
        open={linkOpen && activeNode !== undefined}
        content={content}
        node={activeNode}
        changeIdeas={changeIdeas}
        onToggle={toggleLink}
        onSetRecord={setRecord}
        onClose={() => {
          // The dialog gives the focus back to the button that opened it; a box (an SVG
          // element) gets it here, once the dialog has closed and the page is no longer inert.
          setLinkOpen(false);
          const back = activeNode?.id;
          if (linkFromBox.current && back) setTimeout(() => focusNode(back), 0);
        }}
      />
    </section>
  );
}
