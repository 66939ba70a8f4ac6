/**
 * The drawing of a driver diagram from its layout, shared by the view and the editor. Colours and
 * strokes are SVG attributes (not CSS) so an exported SVG or PNG looks the same; what only the
 * editor shows (selection, drop target, drag ghost) is marked `data-export="skip"`.
 */
import type { ReactNode, Ref, SVGAttributes } from 'react';
import { AIM_ID, BADGE_FONT, BADGE_LINE, type DiagramLayout, type LaidOutNode } from './layout.ts';

export const DIAGRAM_FONT =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const DIAGRAM_COLOURS = {
  text: '#1b1f24',
  muted: '#4f5966',
  edge: '#8a94a3',
  accent: '#0b5cad',
  accentSoft: '#e6f0fa',
  warning: '#8a4b00',
  warningSoft: '#fdf1e1',
  success: '#1a6b34',
} as const;

/** Fill, outline and corner radius of each kind: kinds differ by shape too, not colour alone. */
const NODE_STYLE = {
  aim: { fill: '#0b5cad', stroke: '#084a8c', text: '#ffffff', rx: 2, weight: 600 },
  primary: { fill: '#e6f0fa', stroke: '#0b5cad', text: '#1b1f24', rx: 4, weight: 600 },
  secondary: { fill: '#ffffff', stroke: '#5c6673', text: '#1b1f24', rx: 4, weight: 400 },
  change_idea: { fill: '#f6f7f9', stroke: '#4f5966', text: '#1b1f24', rx: 14, weight: 400 },
} as const;

export interface DiagramSvgProps {
  layout: DiagramLayout;
  /** The <title> of the SVG. */
  title: string;
  /** The <desc> of the SVG. */
  description: string;
  svgRef?: Ref<SVGSVGElement>;
  /** Attributes of the <svg> (role, labels, event handlers). */
  svgProps?: SVGAttributes<SVGSVGElement>;
  /** Attributes of a node's <g> (role, tabindex, label, handlers). */
  nodeProps?: (node: LaidOutNode) => SVGAttributes<SVGGElement> & Record<string, unknown>;
  /** Attributes of a column's <g> (the editor names the columns as groups). */
  columnProps?: (key: LaidOutNode['kind']) => SVGAttributes<SVGGElement>;
  /** Nodes with a validation hint: a "!" marker in their corner. */
  warnings?: ReadonlySet<string>;
  /** Nodes outlined dashed (not in the network's diagram). */
  dashed?: ReadonlySet<string>;
  /** Edges drawn in the accent colour (those of the selected node). */
  highlightNode?: string | null;
  /** Drawn on top, e.g. the selection and the drag ghost. */
  children?: ReactNode;
  /** Unique prefix for ids inside the SVG (the arrowhead marker, the title and description). */
  idPrefix: string;
}

/** The ids of the SVG's <title> and <desc> (for aria-labelledby / aria-describedby). */
export function svgTextIds(idPrefix: string) {
  return { title: `${idPrefix}-svg-title`, desc: `${idPrefix}-svg-desc` };
}

function NodeBox({
  node,
  warning,
  dashed,
}: {
  node: LaidOutNode;
  warning: boolean;
  dashed: boolean;
}) {
  const s = NODE_STYLE[node.kind];
  const padding = 10;
  const lineHeight = 17;
  return (
    <>
      <rect
        x={node.x}
        y={node.y}
        width={node.width}
        height={node.height}
        rx={s.rx}
        fill={s.fill}
        stroke={s.stroke}
        strokeWidth={node.kind === 'aim' ? 1 : 1.5}
        strokeDasharray={dashed ? '6 4' : undefined}
      />
      <text
        x={node.x + padding}
        y={node.y + padding}
        fill={s.text}
        fontWeight={s.weight}
        fontSize={13}
        dominantBaseline="hanging"
      >
        {node.lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one label, in order
          <tspan key={i} x={node.x + padding} dy={i === 0 ? 1 : lineHeight}>
            {/* A space between wrapped lines, so the text reads as the label it wraps. */}
            {i < node.lines.length - 1 ? `${line} ` : line}
          </tspan>
        ))}
      </text>
      {node.badgeLines.length > 0 && (
        <text
          x={node.x + padding}
          y={node.y + padding + node.lines.length * lineHeight + 2}
          fill={node.kind === 'aim' ? '#ffffff' : DIAGRAM_COLOURS.muted}
          fontSize={BADGE_FONT}
          fontStyle="italic"
          dominantBaseline="hanging"
        >
          {node.badgeLines.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one badge, in order
            <tspan key={i} x={node.x + padding} dy={i === 0 ? 1 : BADGE_LINE}>
              {i < node.badgeLines.length - 1 ? `${line} ` : line}
            </tspan>
          ))}
        </text>
      )}
      {warning && (
        <g>
          <circle
            cx={node.x + node.width - 2}
            cy={node.y + 2}
            r={8}
            fill={DIAGRAM_COLOURS.warningSoft}
            stroke={DIAGRAM_COLOURS.warning}
            strokeWidth={1.5}
          />
          <text
            x={node.x + node.width - 2}
            y={node.y + 2}
            dy="0.35em"
            textAnchor="middle"
            fontSize={11}
            fontWeight={700}
            fill={DIAGRAM_COLOURS.warning}
          >
            !
          </text>
        </g>
      )}
    </>
  );
}

export function DiagramSvg({
  layout,
  title,
  description,
  svgRef,
  svgProps,
  nodeProps,
  columnProps,
  warnings,
  dashed,
  highlightNode,
  children,
  idPrefix,
}: DiagramSvgProps) {
  const arrowId = `${idPrefix}-arrow`;
  const arrowHiId = `${idPrefix}-arrow-hi`;
  const highlighted = (from: string, to: string) =>
    highlightNode != null && (from === highlightNode || to === highlightNode);
  const columns = (['primary', 'secondary', 'change_idea'] as const).map((kind) => ({
    kind,
    nodes: layout.nodes.filter((n) => n.kind === kind),
  }));
  const renderNode = (node: LaidOutNode) => (
    <g key={node.id} data-node-id={node.id === AIM_ID ? undefined : node.id} {...nodeProps?.(node)}>
      <NodeBox
        node={node}
        warning={warnings?.has(node.id) ?? false}
        dashed={dashed?.has(node.id) ?? false}
      />
      {/* The keyboard focus ring: drawn by CSS (.dd-node:focus-visible), invisible in exports. */}
      <rect
        className="dd-node__ring"
        x={node.x - 4}
        y={node.y - 4}
        width={node.width + 8}
        height={node.height + 8}
        rx={6}
        fill="none"
        stroke="none"
        data-export="skip"
      />
    </g>
  );
  return (
    <svg
      ref={svgRef}
      xmlns="http://www.w3.org/2000/svg"
      className="dd-svg"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      fontFamily={DIAGRAM_FONT}
      fontSize={13}
      {...svgProps}
    >
      <title id={svgTextIds(idPrefix).title}>{title}</title>
      <desc id={svgTextIds(idPrefix).desc}>{description}</desc>
      <defs>
        <marker
          id={arrowId}
          viewBox="0 0 10 10"
          refX={9}
          refY={5}
          markerWidth={8}
          markerHeight={8}
          markerUnits="userSpaceOnUse"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" fill={DIAGRAM_COLOURS.edge} />
        </marker>
        <marker
          id={arrowHiId}
          viewBox="0 0 10 10"
          refX={9}
          refY={5}
          markerWidth={8}
          markerHeight={8}
          markerUnits="userSpaceOnUse"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" fill={DIAGRAM_COLOURS.accent} />
        </marker>
      </defs>
      <rect x={0} y={0} width={layout.width} height={layout.height} fill="#ffffff" />
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG <g> is not focusable */}
      <g aria-hidden="true">
        {layout.columns.map((c) => (
          <text
            key={c.key}
            x={c.x}
            y={16 + 14}
            fontSize={13}
            fontWeight={700}
            fill={DIAGRAM_COLOURS.muted}
          >
            {c.title}
          </text>
        ))}
        {columns.map(
          ({ kind, nodes }) =>
            nodes.length === 0 && (
              <text
                key={kind}
                x={(layout.columns.find((c) => c.key === kind)?.x ?? 0) + 4}
                y={layout.aim.y + layout.aim.height / 2}
                fill={DIAGRAM_COLOURS.muted}
                fontStyle="italic"
              >
                None yet
              </text>
            ),
        )}
        {layout.edges.map((e) => (
          <path
            key={`${e.from}>${e.to}`}
            d={e.d}
            fill="none"
            stroke={DIAGRAM_COLOURS.edge}
            strokeWidth={1.5}
            strokeDasharray={e.long ? '5 4' : undefined}
            markerEnd={`url(#${arrowId})`}
          />
        ))}
        {/* The selected box's links, drawn over the others (not exported). */}
        <g data-export="skip">
          {layout.edges
            .filter((e) => highlighted(e.from, e.to))
            .map((e) => (
              <path
                key={`${e.from}>${e.to}`}
                d={e.d}
                fill="none"
                stroke={DIAGRAM_COLOURS.accent}
                strokeWidth={2.5}
                strokeDasharray={e.long ? '5 4' : undefined}
                markerEnd={`url(#${arrowHiId})`}
              />
            ))}
        </g>
      </g>
      <g {...columnProps?.('aim')}>{renderNode(layout.aim)}</g>
      {columns.map(({ kind, nodes }) => (
        <g key={kind} {...columnProps?.(kind)}>
          {nodes.map(renderNode)}
        </g>
      ))}
      {children}
    </svg>
  );
}

/** A sentence or two that says what the diagram holds (the <desc>). */
export function describeDiagram(layout: DiagramLayout, aim: string): string {
  const count = (kind: string, one: string, many: string) => {
    const n = layout.nodes.filter((x) => x.kind === kind).length;
    return `${n} ${n === 1 ? one : many}`;
  };
  return `Driver diagram. Aim: ${aim.trim() || 'not written yet'}. ${count(
    'primary',
    'primary driver',
    'primary drivers',
  )}, ${count('secondary', 'secondary driver', 'secondary drivers')} and ${count(
    'change_idea',
    'change idea',
    'change ideas',
  )}; ${layout.edges.length} links. The list view shows how they connect.`;
}
