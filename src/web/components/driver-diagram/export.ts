/**
 * Export of a driver diagram: SVG and PNG through the SPC charts' export (spc/export.ts: a title
 * line over the drawing, the PNG drawn at twice the size), and the content as JSON.
 */
import { downloadPng, downloadSvg, type ExportHeader, fileNameOf } from '../spc/export.ts';
import type { DiagramContent } from './model.ts';

/**
 * spc/export.ts collects the `svg.spc-plot__svg` panels inside a root: hand it a detached copy of
 * the diagram's SVG under that class (the page's SVG keeps its own class and styles).
 */
function exportRoot(svg: SVGSVGElement): Element {
  const root = document.createElement('div');
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('class', 'spc-plot__svg');
  root.appendChild(clone);
  return root;
}

function header(title: string, subtitle?: string): ExportHeader {
  return subtitle
    ? { title: title || 'Driver diagram', subtitle }
    : { title: title || 'Driver diagram' };
}

export function downloadDiagramSvg(svg: SVGSVGElement, title: string, subtitle?: string): void {
  downloadSvg(exportRoot(svg), header(title, subtitle));
}

export async function downloadDiagramPng(
  svg: SVGSVGElement,
  title: string,
  subtitle?: string,
): Promise<void> {
  await downloadPng(exportRoot(svg), header(title, subtitle));
}

/** The content exactly as the API stores it, pretty-printed. */
export function diagramJson(content: DiagramContent): string {
  return `${JSON.stringify({ aim: content.aim, nodes: content.nodes, edges: content.edges }, null, 2)}\n`;
}

export function downloadDiagramJson(content: DiagramContent, title: string): void {
  const blob = new Blob([diagramJson(content)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameOf(title || 'Driver diagram', 'json');
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
