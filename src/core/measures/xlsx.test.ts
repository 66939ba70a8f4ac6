import { describe, expect, it } from 'vitest';
import { excelSerialToIsoDate, readXlsx, writeXlsx, XlsxUnreadable } from './xlsx.ts';

describe('xlsx', () => {
  it('reads back what it writes: strings, numbers, empty cells, row numbers', () => {
    const file = writeXlsx([
      ['measure', 'period', 'numerator'],
      ['On track <&>', '2026-09', 47],
      [],
      ['x', null, 1.5],
    ]);
    expect(readXlsx(file).rows).toEqual([
      { line: 1, cells: ['measure', 'period', 'numerator'] },
      { line: 2, cells: ['On track <&>', '2026-09', '47'] },
      { line: 4, cells: ['x', '', '1.5'] },
    ]);
  });
  it('converts Excel date serials', () => {
    expect(excelSerialToIsoDate(46266)).toBe('2026-09-01');
  });
  it('refuses what is not a zip', () => {
    expect(() => readXlsx(Buffer.from('measure,period\n'))).toThrow(XlsxUnreadable);
  });
});
