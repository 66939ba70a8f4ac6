/**
 * Export of a chart as the reader sees it: one self-contained SVG (the panels stacked under a
 * title line), a PNG drawn from that SVG on a canvas, and printing the chart alone.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export interface ExportHeader {
  title: string;
  /** A second line, e.g. "↑ Higher is better · p chart · Anhøj rules". */
  subtitle?: string;
}

/** A file name from the chart's title: "9th graders on track" → "9th-graders-on-track". */
export function fileNameOf(title: string, extension: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'spc-chart'}.${extension}`;
}

/** The panels of a chart (`svg.spc-plot__svg` inside `root`) as one standalone SVG document. */
export function chartSvg(
  root: Element,
  header: ExportHeader,
): { svg: string; width: number; height: number } {
  const panels = [...root.querySelectorAll<SVGSVGElement>('svg.spc-plot__svg')];
  const width = Math.max(...panels.map((p) => p.width.baseVal.value), 320);
  const headerHeight = header.subtitle ? 48 : 30;
  let height = headerHeight;
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('font-family', FONT);
  out.setAttribute('font-size', '12');
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  out.appendChild(background);
  const title = document.createElementNS(SVG_NS, 'text');
  title.setAttribute('x', '12');
  title.setAttribute('y', '21');
  title.setAttribute('font-size', '16');
  title.setAttribute('font-weight', '700');
  title.setAttribute('fill', '#1b1f24');
  title.textContent = header.title;
  out.appendChild(title);
  if (header.subtitle) {
    const sub = document.createElementNS(SVG_NS, 'text');
    sub.setAttribute('x', '12');
    sub.setAttribute('y', '39');
    sub.setAttribute('fill', '#4f5966');
    sub.textContent = header.subtitle;
    out.appendChild(sub);
  }
  for (const panel of panels) {
    const clone = panel.cloneNode(true) as SVGSVGElement;
    for (const skip of clone.querySelectorAll('[data-export="skip"]')) skip.remove();
    const group = document.createElementNS(SVG_NS, 'g');
    group.setAttribute('transform', `translate(0,${height})`);
    for (const attr of ['font-family', 'font-size']) {
      const value = clone.getAttribute(attr);
      if (value) group.setAttribute(attr, value);
    }
    // Keep the panel's <title>/<desc> for whoever opens the file with a screen reader.
    while (clone.firstChild) group.appendChild(clone.firstChild);
    for (const el of group.querySelectorAll('[tabindex]')) el.removeAttribute('tabindex');
    out.appendChild(group);
    height += panel.height.baseVal.value;
  }
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}`;
  return { svg, width, height };
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadSvg(root: Element, header: ExportHeader): void {
  const { svg } = chartSvg(root, header);
  download(new Blob([svg], { type: 'image/svg+xml' }), fileNameOf(header.title, 'svg'));
}

/** Draws the SVG on a canvas at twice the size (sharp on high-density screens and in print). */
export async function chartPng(root: Element, header: ExportHeader, scale = 2): Promise<Blob> {
  const { svg, width, height } = chartSvg(root, header);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw on a canvas.');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be made.'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function downloadPng(root: Element, header: ExportHeader): Promise<void> {
  download(await chartPng(root, header), fileNameOf(header.title, 'png'));
}

/**
 * Prints this chart alone: the page's other content is hidden by the print styles while
 * `data-spc-print` is set on <body> (see styles/spc.css), and put back after printing.
 */
export function printChart(root: HTMLElement): void {
  document.body.setAttribute('data-spc-print', '');
  root.setAttribute('data-spc-print-target', '');
  const done = () => {
    document.body.removeAttribute('data-spc-print');
    root.removeAttribute('data-spc-print-target');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
  // Browsers without afterprint (or where print() returned at once) still get the page back.
  setTimeout(() => {
    if (!window.matchMedia('print').matches) done();
  }, 1000);
}
