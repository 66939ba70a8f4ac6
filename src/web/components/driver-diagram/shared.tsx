/** Pieces the view and the editor share: badges of nodes, the export buttons, a media query. */
import { type RefObject, useMemo, useState, useSyncExternalStore } from 'react';
import { Button } from '../Button.tsx';
import { downloadDiagramJson, downloadDiagramPng, downloadDiagramSvg } from './export.ts';
import { type DiagramContent, nodesNotIn } from './model.ts';

export interface ChangeIdeaOption {
  id: string;
  title: string;
}

export const NOT_IN_NETWORK = 'Not in network diagram';

/** Ids not in the network's diagram, and the small line each node shows under its label. */
export function useBadges(
  content: DiagramContent,
  compareWith: DiagramContent | undefined,
  changeIdeas: readonly ChangeIdeaOption[] | undefined,
) {
  return useMemo(() => {
    const notInNetwork = compareWith ? nodesNotIn(content, compareWith) : new Set<string>();
    const titles = new Map((changeIdeas ?? []).map((c) => [c.id, c.title]));
    const badges = new Map<string, string>();
    for (const n of content.nodes) {
      const parts: string[] = [];
      if (notInNetwork.has(n.id)) parts.push(NOT_IN_NETWORK);
      if (n.change_idea_id)
        parts.push(titles.has(n.change_idea_id) ? '↗ In the library' : '↗ Linked record');
      if (parts.length) badges.set(n.id, parts.join('\n'));
    }
    return { notInNetwork, badges, titleOf: (id: string) => titles.get(id) };
  }, [content, compareWith, changeIdeas]);
}

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (notify) => {
      if (typeof window === 'undefined' || !window.matchMedia) return () => {};
      const list = window.matchMedia(query);
      list.addEventListener('change', notify);
      return () => list.removeEventListener('change', notify);
    },
    () =>
      typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query).matches : false,
    () => false,
  );
}

export function ExportButtons({
  svgRef,
  content,
  title,
  hidden,
}: {
  svgRef: RefObject<SVGSVGElement | null>;
  content: DiagramContent;
  title: string;
  /** The drawing is not on screen (list view): only JSON can be made. */
  hidden?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const run = async (what: 'svg' | 'png' | 'json') => {
    setError(null);
    try {
      if (what === 'json') downloadDiagramJson(content, title);
      else {
        const svg = svgRef.current;
        if (!svg) throw new Error('Show the diagram to download it as an image.');
        const subtitle = content.aim.trim() ? `Aim: ${content.aim.trim()}` : undefined;
        if (what === 'svg') downloadDiagramSvg(svg, title, subtitle);
        else await downloadDiagramPng(svg, title, subtitle);
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The export failed.');
    }
  };
  return (
    <>
      {!hidden && (
        <>
          <Button onClick={() => run('svg')}>
            Download SVG<span className="visually-hidden"> of {title}</span>
          </Button>
          <Button onClick={() => run('png')}>
            Download PNG<span className="visually-hidden"> of {title}</span>
          </Button>
        </>
      )}
      <Button onClick={() => run('json')}>
        Download JSON<span className="visually-hidden"> of {title}</span>
      </Button>
      {error && (
        <div className="alert alert--error dd-actions__error" role="alert">
          {error}
        </div>
      )}
    </>
  );
}
