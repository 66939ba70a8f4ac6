import { describe, expect, it } from 'vitest';
import { parseSpcCsv, type SpcCsvResult, type SpcCsvSeries } from './csv.ts';

function series(result: SpcCsvResult): SpcCsvSeries[] {
  if (!result.ok) throw new Error(`expected a parse, got ${JSON.stringify(result.errors)}`);
  return result.series;
}

function errors(result: SpcCsvResult): { line: number; message: string }[] {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.series)}`);
  return result.errors;
}

describe('parseSpcCsv', () => {
  it('reads label,value rows without a header', () => {
    const [s] = series(parseSpcCsv('Jan,5\nFeb,7\nMar,-1.5'));
    expect(s).toMatchObject({
      site: null,
      labels: ['Jan', 'Feb', 'Mar'],
      values: [5, 7, -1.5],
      denominators: null,
    });
  });

  it('skips a header row and gives the same series as without it', () => {
    const withHeader = series(parseSpcCsv('label,value\nJan,5\nFeb,7\n'));
    const without = series(parseSpcCsv('Jan,5\nFeb,7\n'));
    expect(withHeader.map(({ lines: _, ...rest }) => rest)).toEqual(
      without.map(({ lines: _, ...rest }) => rest),
    );
    expect(withHeader).toHaveLength(1);
    expect(withHeader[0]?.labels).toEqual(['Jan', 'Feb']);
  });

  it('reads a denominator column, with or without a header', () => {
    const [a] = series(parseSpcCsv('month,deaths,admissions\nJan,5,50\nFeb,3,40\n'));
    expect(a).toMatchObject({ labels: ['Jan', 'Feb'], values: [5, 3], denominators: [50, 40] });
    const [b] = series(parseSpcCsv('Jan,5,50\nFeb,3,40'));
    expect(b).toMatchObject({ labels: ['Jan', 'Feb'], values: [5, 3], denominators: [50, 40] });
  });

  it('splits a site column into one series per site, in order of first appearance', () => {
    const result = series(
      parseSpcCsv('site,label,value,denominator\nB,Jan,5,10\nA,Jan,6,12\nB,Feb,7,14\n'),
    );
    expect(result).toHaveLength(2);
    expect(result[0]).toMatchObject({
      site: 'B',
      labels: ['Jan', 'Feb'],
      values: [5, 7],
      denominators: [10, 14],
    });
    expect(result[1]).toMatchObject({
      site: 'A',
      labels: ['Jan'],
      values: [6],
      denominators: [12],
    });
  });

  it('needs the header row for a site column: without it the second cell is read as the value', () => {
    const e = errors(parseSpcCsv('A,Jan,5\nB,Jan,6'));
    expect(e).toEqual([
      { line: 1, message: expect.stringContaining('"Jan"') },
      { line: 2, message: expect.stringContaining('"Jan"') },
    ]);
  });

  it('reads an empty value cell (and NA) as a missing value', () => {
    const [s] = series(parseSpcCsv('label,value,denominator\nJan,,40\nFeb,3,40\nMar,NA,\n'));
    expect(s?.values).toEqual([null, 3, null]);
    expect(s?.denominators).toEqual([40, 40, null]);
    // A first row with an empty cell is data, not a header.
    const [t] = series(parseSpcCsv('Jan,\nFeb,3'));
    expect(t?.values).toEqual([null, 3]);
  });

  it('names the 1-based line of a non-numeric cell, counting the header and blank lines', () => {
    expect(errors(parseSpcCsv('label,value\nJan,5\nFeb,abc'))).toEqual([
      { line: 3, message: expect.stringContaining('"abc"') },
    ]);
    expect(errors(parseSpcCsv('label,value\n\nJan,5\n\nFeb,x1\n'))).toEqual([
      { line: 5, message: expect.stringContaining('"x1"') },
    ]);
    expect(errors(parseSpcCsv('label,value,denominator\nJan,5,fifty'))).toEqual([
      { line: 2, message: expect.stringContaining('"fifty"') },
    ]);
    // CRLF line ends count the same way.
    expect(errors(parseSpcCsv('label,value\r\nJan,5\r\nFeb,?\r\n'))).toEqual([
      { line: 3, message: expect.any(String) },
    ]);
  });

  it('reports every bad line, not just the first', () => {
    const e = errors(parseSpcCsv('Jan,5\nFeb,abc\nMar,def\nApr,6,7'));
    expect(e.map((x) => x.line)).toEqual([2, 3, 4]);
  });

  it('reads quoted cells: commas and doubled quotes inside, quoted numbers', () => {
    const [s] = series(parseSpcCsv('"Jan, 2024",5\n"He said ""hi""",3\n"Mar","12"'));
    expect(s?.labels).toEqual(['Jan, 2024', 'He said "hi"', 'Mar']);
    expect(s?.values).toEqual([5, 3, 12]);
  });

  it('accepts semicolons and tabs as separators, a byte-order mark and digit grouping spaces', () => {
    const [a] = series(parseSpcCsv('label;value\r\nJan;5\r\nFeb;6'));
    expect(a?.values).toEqual([5, 6]);
    const [b] = series(parseSpcCsv('\uFEFFlabel\tvalue\nJan\t1 000\nFeb\t-2.5e1'));
    expect(b?.labels).toEqual(['Jan', 'Feb']);
    expect(b?.values).toEqual([1000, -25]);
  });

  it('records the 1-based line of each point', () => {
    const [s] = series(parseSpcCsv('label,value\n\nJan,5\nFeb,6'));
    expect(s?.lines).toEqual([3, 4]);
  });

  it('rejects text without data rows and rows with the wrong number of columns', () => {
    expect(errors(parseSpcCsv(''))[0]?.line).toBe(1);
    expect(errors(parseSpcCsv('label,value\n'))[0]?.line).toBe(1);
    expect(errors(parseSpcCsv('a,b,c,d,e\n1,2,3,4,5'))).toEqual([
      { line: 2, message: expect.stringContaining('found 5') },
    ]);
    expect(errors(parseSpcCsv('5\n6'))).toEqual([
      { line: 1, message: expect.stringContaining('found 1') },
    ]);
  });
});
