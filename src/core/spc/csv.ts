/**
 * Reads chart data from CSV text: columns `label,value[,denominator]`, optionally preceded by a
 * `site` column for small multiples, with or without a header row. An empty value cell is a
 * missing value. A `site` column needs the header row. Errors name the line (1-based, as an editor shows it) and the column.
 */

export interface SpcCsvSeries {
  site: string | null;
  labels: string[];
  values: (number | null)[];
  denominators: (number | null)[] | null;
  /** The 1-based line of each point in the CSV text, to name it in error messages. */
  lines: number[];
}

export type SpcCsvResult =
  | { ok: true; series: SpcCsvSeries[] }
  | { ok: false; errors: { line: number; message: string }[] };

/** Splits one CSV record (RFC 4180 quoting) into cells. */
function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === ';' || ch === '\t') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

function parseNumber(text: string): number | null | undefined {
  if (text === '' || /^(na|n\/a|null|-)$/i.test(text)) return null;
  const normalised = text.replace(/\s/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(normalised)) return undefined;
  return Number(normalised);
}

/** Parses chart data from CSV text. */
export function parseSpcCsv(text: string): SpcCsvResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const errors: { line: number; message: string }[] = [];
  let columns: string[] | null = null;
  const rows: { line: number; cells: string[] }[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const cells = cellsOf(raw);
    // A first row of words only (no numbers, no empty cells) is a header.
    if (
      columns === null &&
      rows.length === 0 &&
      cells.every((c) => c !== '' && parseNumber(c) === undefined)
    ) {
      columns = cells.map((c) => c.toLowerCase());
      return;
    }
    rows.push({ line: i + 1, cells });
  });
  const header: string[] = columns ?? [];
  const hasSite = header[0] === 'site';
  const width = header.length > 0 ? header.length : (rows[0]?.cells.length ?? 0);
  const valueColumn = hasSite ? 2 : 1;
  if (rows.length === 0)
    return {
      ok: false,
      errors: [{ line: 1, message: 'no data rows: expected label,value[,denominator]' }],
    };
  if (width < valueColumn + 1 || width > valueColumn + 2) {
    return {
      ok: false,
      errors: [
        {
          line: rows[0]?.line ?? 1,
          message: `expected columns label,value[,denominator] (optionally site first), found ${width}`,
        },
      ],
    };
  }
  const withDenominator = width === valueColumn + 2;
  const bySite = new Map<string, SpcCsvSeries>();
  for (const { line, cells } of rows) {
    if (cells.length !== width) {
      errors.push({ line, message: `expected ${width} cells, found ${cells.length}` });
      continue;
    }
    const site = hasSite ? (cells[0] as string) : '';
    const value = parseNumber(cells[valueColumn] as string);
    if (value === undefined) {
      errors.push({ line, message: `value "${cells[valueColumn]}" is not a number` });
      continue;
    }
    let denominator: number | null = null;
    if (withDenominator) {
      const parsed = parseNumber(cells[valueColumn + 1] as string);
      if (parsed === undefined) {
        errors.push({ line, message: `denominator "${cells[valueColumn + 1]}" is not a number` });
        continue;
      }
      denominator = parsed;
    }
    let series = bySite.get(site);
    if (!series) {
      series = {
        site: hasSite ? site : null,
        labels: [],
        values: [],
        denominators: withDenominator ? [] : null,
        lines: [],
      };
      bySite.set(site, series);
    }
    series.labels.push(cells[valueColumn - 1] as string);
    series.values.push(value);
    series.denominators?.push(denominator);
    series.lines.push(line);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, series: [...bySite.values()] };
}
