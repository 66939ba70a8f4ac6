/**
 * Clipboard text from a spreadsheet (Excel, Google Sheets, LibreOffice Calc, Numbers) into cells.
 *
 * Spreadsheets put a copied range on the clipboard as `text/plain` tab-separated values: cells
 * separated by a tab, rows by a newline (`\r\n` from Excel on Windows, `\n` elsewhere), usually
 * with one trailing newline. A cell that holds a tab, a newline or a double quote is wrapped in
 * double quotes with inner quotes doubled (`"say ""hi"""`). The text is what the sheet *shows*,
 * so numbers arrive formatted: `1,234`, `62%`, `3,5` (a decimal comma), `1 234,5`.
 *
 * Number rules (`parseNumber`), chosen to keep what the person sees:
 * - thousands separators are dropped when the groups are of three digits: `1,234` and
 *   `1,234,567.5` (comma), `1.234.567` and `1.234,5` (dot), `1 234` (space, no-break space,
 *   narrow no-break space) and `1'234` (apostrophe, Swiss);
 * - a lone comma is a decimal comma unless exactly three digits follow it and the integer part
 *   is not 0: `3,5` → 3.5, `0,125` → 0.125, `12,75` → 12.75, but `1,234` → 1234 (the
 *   English thousands reading wins the ambiguous case; type `1.234` for one point two three four);
 * - a lone dot is always a decimal point: `1.234` → 1.234;
 * - when both a comma and a dot appear, the last one is the decimal separator;
 * - a trailing percent sign is dropped and the number kept as shown: `62%` → 62, `12.5 %` → 12.5.
 *   Percent measures are entered in percent points, as displayed; a sheet that shows `0.62`
 *   pastes 0.62;
 * - a leading `+`, `-` or Unicode minus `−` and an exponent (`1.2E+03`, as Excel shows big
 *   numbers in narrow columns) are accepted; anything else (currency signs, words, `#N/A`,
 *   `#DIV/0!`) is not a number and is kept as text so the grid can flag it.
 */

export type ParsedNumber =
  | { kind: 'empty' }
  | { kind: 'number'; value: number }
  | { kind: 'invalid' };

/**
 * Splits clipboard text into rows of cells (tab-separated values, quoted cells unwrapped).
 * One trailing newline is dropped; an empty text gives no rows.
 */
export function splitClipboard(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return rows;
  for (;;) {
    // One cell, starting at i.
    let cell: string;
    const quoted = text[i] === '"' ? readQuoted(text, i) : null;
    if (quoted) {
      cell = quoted.value;
      i = quoted.end;
    } else {
      let j = i;
      while (j < n && text[j] !== '\t' && text[j] !== '\n' && text[j] !== '\r') j++;
      cell = text.slice(i, j);
      i = j;
    }
    row.push(cell);
    if (i >= n) {
      rows.push(row);
      break;
    }
    if (text[i] === '\t') {
      i++;
      continue;
    }
    // A row break: \r\n, \n or a lone \r (old Mac Excel).
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else i++;
    rows.push(row);
    row = [];
    if (i >= n) break; // the trailing newline
  }
  return rows;
}

/**
 * A quoted cell starting at `start` (a `"`): its unescaped value and the index just after the
 * closing quote, or null when the quotes do not close right before a tab, a newline or the end,
 * in which case the cell is read literally (a value such as `"abc" def` or a stray `"`).
 */
function readQuoted(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      if (text[i + 1] === '"') {
        value += '"';
        i += 2;
        continue;
      }
      const next = text[i + 1];
      if (next === undefined || next === '\t' || next === '\n' || next === '\r') {
        return { value, end: i + 1 };
      }
      return null;
    }
    value += ch;
    i++;
  }
  return null;
}

/** True when clipboard text spans more than one cell (a tab or a row break inside it). */
export function isMultiCell(text: string): boolean {
  const rows = splitClipboard(text);
  return rows.length > 1 || (rows[0]?.length ?? 0) > 1;
}

const GROUP_SPACES = /[ \u00a0\u202f\u2009']/;
const THREE = /^\d{3}$/;

/** Joins digit groups split by `sep` when every group after the first has three digits. */
function ungroup(part: string, sep: string): string | null {
  if (!part.includes(sep)) return part;
  const groups = part.split(sep);
  const [first, ...rest] = groups;
  if (!first || !/^\d{1,3}$/.test(first) || rest.length === 0) return null;
  if (!rest.every((g) => THREE.test(g))) return null;
  return groups.join('');
}

/** Reads a number as a spreadsheet shows it (rules in the module comment). */
export function parseNumber(input: string): ParsedNumber {
  let s = input.trim();
  if (s === '') return { kind: 'empty' };
  s = s.replace(/\u2212/g, '-');
  if (s.endsWith('%')) s = s.slice(0, -1).trimEnd();
  let sign = '';
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? '-' : '';
    s = s.slice(1).trimStart();
  }
  if (s === '') return { kind: 'invalid' };

  // Exponent form: only with a dot (or no) decimal separator, as Excel displays it.
  if (/^\d+(\.\d+)?e[+-]?\d+$/i.test(s)) return finite(Number(sign + s));

  // Space-like and apostrophe group separators.
  const spaced = s.match(GROUP_SPACES);
  if (spaced) {
    const [intPart = '', ...fraction] = s.split(/([.,])/);
    const joined = ungroup(intPart.replace(/[\u00a0\u202f\u2009']/g, ' '), ' ');
    if (joined === null) return { kind: 'invalid' };
    s = joined + fraction.join('');
    if (/[ \u00a0\u202f\u2009']/.test(s)) return { kind: 'invalid' };
  }
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return { kind: 'invalid' };

  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let intPart: string;
  let fracPart: string;
  if (lastComma >= 0 && lastDot >= 0) {
    // Both: the last one is the decimal separator, the other groups thousands.
    const decimal = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    const at = s.lastIndexOf(decimal);
    const grouped = ungroup(s.slice(0, at), group);
    if (grouped === null) return { kind: 'invalid' };
    intPart = grouped;
    fracPart = s.slice(at + 1);
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    const count = s.split(sep).length - 1;
    if (count > 1) {
      // Several: thousands separators only.
      const grouped = ungroup(s, sep);
      if (grouped === null) return { kind: 'invalid' };
      intPart = grouped;
      fracPart = '';
    } else {
      const at = s.indexOf(sep);
      const before = s.slice(0, at);
      const after = s.slice(at + 1);
      const thousands =
        sep === ',' && /^\d{1,3}$/.test(before) && !/^0+$/.test(before) && THREE.test(after);
      if (thousands) {
        intPart = before + after;
        fracPart = '';
      } else {
        intPart = before;
        fracPart = after;
      }
    }
  } else {
    intPart = s;
    fracPart = '';
  }
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(fracPart)) return { kind: 'invalid' };
  if (intPart === '' && fracPart === '') return { kind: 'invalid' };
  return finite(Number(`${sign}${intPart || '0'}${fracPart ? `.${fracPart}` : ''}`));
}

function finite(value: number): ParsedNumber {
  return Number.isFinite(value)
    ? { kind: 'number', value: value === 0 ? 0 : value }
    : { kind: 'invalid' };
}

/**
 * The text a cell shows once a pasted (or typed) value is read: the number in plain JavaScript
 * notation (`1234.5`), '' for an empty cell, the trimmed text when it is not a number.
 */
export function normalizeCellText(input: string): string {
  const parsed = parseNumber(input);
  if (parsed.kind === 'number') return String(parsed.value);
  if (parsed.kind === 'empty') return '';
  return input.trim();
}

/** Clipboard text as rows of cells whose numbers are normalised (see `normalizeCellText`). */
export function parseClipboard(text: string): string[][] {
  return splitClipboard(text).map((row) => row.map(normalizeCellText));
}
