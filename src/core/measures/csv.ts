/**
 * A small RFC 4180 CSV reader for measure imports: quoted fields (with "" for a quote and line
 * breaks inside quotes), CRLF or LF line ends, a UTF-8 byte order mark, and `,` or `;` as the
 * separator (detected on the header line: spreadsheet programs in many locales write `;`).
 */

export interface CsvRow {
  /** 1-based line number in the file where the row starts (the header is line 1). */
  line: number;
  cells: string[];
}

export type CsvParse = { ok: true; rows: CsvRow[] } | { ok: false; line: number; message: string };

function detectSeparator(text: string): ',' | ';' | '\t' {
  const end = text.search(/\r?\n/);
  const header = end < 0 ? text : text.slice(0, end);
  const count = (c: string) => header.split(c).length - 1;
  const candidates: [',' | ';' | '\t', number][] = [
    [',', count(',')],
    [';', count(';')],
    ['\t', count('\t')],
  ];
  candidates.sort((a, b) => b[1] - a[1]);
  const best = candidates[0] as [',' | ';' | '\t', number];
  return best[1] > 0 ? best[0] : ',';
}

/**
 * Every non-blank row with its line number.
 *
 * @example parseCsv('a,b\n1,"x, y"\n') → { ok: true, rows: [{line: 1, cells: ['a','b']}, {line: 2, cells: ['1','x, y']}] }
 */
export function parseCsv(input: string): CsvParse {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const separator = detectSeparator(text);
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let quotedField = false;
  const endRow = () => {
    cells.push(field);
    if (cells.length > 1 || cells[0]?.trim() !== '' || quotedField) {
      rows.push({ line: rowLine, cells });
    }
    cells = [];
    field = '';
    quotedField = false;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"' && field === '' && !quotedField) {
      // A quoted field: read to the closing quote.
      quotedField = true;
      const startLine = line;
      i++;
      let closed = false;
      while (i < text.length) {
        const q = text[i] as string;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      if (!closed) {
        return { ok: false, line: startLine, message: 'a quoted field is never closed' };
      }
      continue;
    }
    if (c === separator) {
      cells.push(field);
      field = '';
      quotedField = false;
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      i++;
    } else if (c === '\n' || c === '\r') {
      endRow();
      line++;
      rowLine = line;
      i++;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || cells.length > 0 || quotedField) endRow();
  return { ok: true, rows };
}

/** A number as people type it in a sheet: trims, accepts a leading +, refuses 1,000 and 12%. */
export function parseNumberCell(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}
