import { describe, expect, it } from 'vitest';
import { parseCsv, parseNumberCell } from './csv.ts';

describe('parseCsv', () => {
  it('reads quoted fields, CRLF, a BOM and keeps line numbers (blank lines skipped)', () => {
    const result = parseCsv('\ufeffmeasure,note\r\n"On track","a, ""b""\nc"\r\n\r\nX,y\r\n');
    expect(result).toEqual({
      ok: true,
      rows: [
        { line: 1, cells: ['measure', 'note'] },
        { line: 2, cells: ['On track', 'a, "b"\nc'] },
        { line: 5, cells: ['X', 'y'] },
      ],
    });
  });
  it('detects semicolons', () => {
    const result = parseCsv('measure;period;numerator\nA;2026-09;3');
    expect(result.ok && result.rows[1]?.cells).toEqual(['A', '2026-09', '3']);
  });
  it('reports an unclosed quote with its line', () => {
    expect(parseCsv('a,b\n1,"open\n')).toMatchObject({ ok: false, line: 2 });
  });
});

describe('parseNumberCell', () => {
  it('accepts plain numbers, refuses separators, units and percent', () => {
    expect(parseNumberCell(' 12 ')).toBe(12);
    expect(parseNumberCell('0.5')).toBe(0.5);
    expect(parseNumberCell('1e3')).toBe(1000);
    expect(parseNumberCell('1,000')).toBeUndefined();
    expect(parseNumberCell('12%')).toBeUndefined();
    expect(parseNumberCell('')).toBeUndefined();
  });
});
