/**
 * The driver diagram as a nested list: the aim, each primary driver with the secondary drivers
 * and change ideas under it, and what is not linked yet. The text alternative of the drawing and
 * the view on a phone.
 */
import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';
import { type DiagramContent, KIND_NAMES, type OutlineItem, outline } from './model.ts';

export interface DiagramOutlineProps {
  content: DiagramContent;
  /** Ids of nodes to mark "not in network diagram". */
  notInNetwork?: ReadonlySet<string> | undefined;
  /** The title of a change idea record, by id. */
  changeIdeaTitle?: ((id: string) => string | undefined) | undefined;
  /** Where a change idea record's page is; the item links there. */
  changeIdeaHref?: ((id: string) => string) | undefined;
}

function Item({ item, props }: { item: OutlineItem; props: DiagramOutlineProps }) {
  const { node } = item;
  const record = node.change_idea_id ?? null;
  const recordTitle = record ? props.changeIdeaTitle?.(record) : undefined;
  const notes: ReactNode[] = [];
  if (item.alsoUnder.length > 0)
    notes.push(`also under ${item.alsoUnder.map((p) => `“${p.label}”`).join(', ')}`);
  if (item.repeated && item.alsoUnder.length === 0) notes.push('shown above');
  if (props.notInNetwork?.has(node.id)) notes.push('not in network diagram');
  if (record)
    notes.push(
      props.changeIdeaHref ? (
        <Link to={props.changeIdeaHref(record)}>{recordTitle ?? 'change idea record'}</Link>
      ) : (
        `library: ${recordTitle ?? record}`
      ),
    );
  return (
    <li className={`dd-outline__item dd-outline__item--${node.kind}`} data-node-id={node.id}>
      <span className="dd-outline__kind">{KIND_NAMES[node.kind].one}: </span>
      <span className="dd-outline__label">{node.label}</span>
      {notes.length > 0 && (
        <span className="dd-outline__note">
          {' ('}
          {notes.map((n, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of notes
            <Fragment key={i}>
              {i > 0 && '; '}
              {n}
            </Fragment>
          ))}
          {')'}
        </span>
      )}
      {item.children.length > 0 && (
        <ul>
          {item.children.map((c) => (
            <Item key={c.node.id} item={c} props={props} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function DiagramOutline(props: DiagramOutlineProps) {
  const o = outline(props.content);
  return (
    <div className="dd-outline">
      <p className="dd-outline__aim">
        <strong>Aim: </strong>
        {o.aim.trim() || <em>not written yet</em>}
      </p>
      {o.primaries.length === 0 ? (
        <p className="dd-outline__empty">No primary drivers yet.</p>
      ) : (
        <ul className="dd-outline__list">
          {o.primaries.map((item) => (
            <Item key={item.node.id} item={item} props={props} />
          ))}
        </ul>
      )}
      {o.unlinked.length > 0 && (
        <>
          <p className="dd-outline__heading">Not linked to a driver yet:</p>
          <ul className="dd-outline__list">
            {o.unlinked.map((item) => (
              <Item key={item.node.id} item={item} props={props} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
