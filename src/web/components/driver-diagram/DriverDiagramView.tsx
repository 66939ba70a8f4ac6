/**
 * A driver diagram, read-only: the drawing (an image with a title and a description) or, with
 * "Show as list" and by default on a phone, the same as a nested list; downloads as SVG, PNG and
 * JSON. Nodes not in the network's diagram (`compareWith`) are outlined dashed and say so.
 */
import { useId, useMemo, useRef, useState } from 'react';
import { Button } from '../Button.tsx';
import { DiagramOutline } from './DiagramOutline.tsx';
import { DiagramSvg, describeDiagram, svgTextIds } from './DiagramSvg.tsx';
import { layoutDiagram } from './layout.ts';
import type { DiagramContent } from './model.ts';
import { type ChangeIdeaOption, ExportButtons, useBadges, useMediaQuery } from './shared.tsx';
import '../../styles/driver-diagram.css';

export interface DriverDiagramViewProps {
  content: DiagramContent;
  /** The heading over the diagram and the title of the exports. */
  title?: string;
  headingLevel?: 2 | 3;
  /** The network's diagram: nodes not in it are marked. */
  compareWith?: DiagramContent | undefined;
  /** Titles of change idea records, for the nodes linked to one. */
  changeIdeas?: readonly ChangeIdeaOption[] | undefined;
  /** Where a change idea record's page is (the list links there). */
  changeIdeaHref?: ((id: string) => string) | undefined;
  /** Downloads (SVG, PNG, JSON); on by default. */
  exports?: boolean;
  /** Start as the list; by default the list on a narrow screen, the drawing elsewhere. */
  initialView?: 'diagram' | 'list';
}

export function DriverDiagramView({
  content,
  title = 'Driver diagram',
  headingLevel = 2,
  compareWith,
  changeIdeas,
  changeIdeaHref,
  exports = true,
  initialView,
}: DriverDiagramViewProps) {
  const id = useId();
  const svgRef = useRef<SVGSVGElement>(null);
  const narrow = useMediaQuery('(max-width: 640px)');
  const [chosen, setChosen] = useState<'diagram' | 'list' | null>(initialView ?? null);
  const view = chosen ?? (narrow ? 'list' : 'diagram');
  const { notInNetwork, badges, titleOf } = useBadges(content, compareWith, changeIdeas);
  const layout = useMemo(() => layoutDiagram(content, { badges }), [content, badges]);
  const Heading = `h${headingLevel}` as 'h2' | 'h3';
  const titleId = `${id}-title`;
  const listId = `${id}-list`;
  const empty = content.nodes.length === 0 && !content.aim.trim();

  return (
    <figure className="dd-view" aria-labelledby={titleId} data-testid="driver-diagram-view">
      <figcaption className="dd-view__header">
        <Heading className="dd-view__title" id={titleId}>
          {title}
        </Heading>
        {compareWith && notInNetwork.size > 0 && (
          <span className="dd-view__legend">
            <span className="dd-legend-dash" aria-hidden="true" /> Dashed: not in the network’s
            diagram ({notInNetwork.size})
          </span>
        )}
      </figcaption>
      {empty ? (
        <p className="dd-view__empty">
          No driver diagram yet. A driver diagram shows the aim, the primary drivers that lead to
          it, the secondary drivers under them and the change ideas to test.
        </p>
      ) : (
        <>
          <div className="dd-actions">
            <Button
              aria-pressed={view === 'list'}
              aria-controls={listId}
              onClick={() => setChosen(view === 'list' ? 'diagram' : 'list')}
            >
              {view === 'list' ? 'Show as diagram' : 'Show as list'}
            </Button>
            {exports && (
              <ExportButtons
                svgRef={svgRef}
                content={content}
                title={title}
                hidden={view === 'list'}
              />
            )}
          </div>
          {view === 'diagram' && (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll area reachable by keyboard
            // biome-ignore lint/a11y/useSemanticElements: a named scroll area, not a form's fieldset
            <div className="dd-canvas" tabIndex={0} role="group" aria-labelledby={titleId}>
              <DiagramSvg
                layout={layout}
                title={title}
                description={describeDiagram(layout, content.aim)}
                svgRef={svgRef}
                svgProps={{
                  role: 'img',
                  'aria-labelledby': svgTextIds(id).title,
                  'aria-describedby': svgTextIds(id).desc,
                }}
                dashed={notInNetwork}
                idPrefix={id}
              />
            </div>
          )}
          <div id={listId} hidden={view !== 'list'}>
            {view === 'list' && (
              <DiagramOutline
                content={content}
                notInNetwork={compareWith ? notInNetwork : undefined}
                changeIdeaTitle={titleOf}
                changeIdeaHref={changeIdeaHref}
              />
            )}
          </div>
        </>
      )}
    </figure>
  );
}
