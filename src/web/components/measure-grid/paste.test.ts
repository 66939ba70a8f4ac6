import { describe, expect, it } from 'vitest';
import {
  isMultiCell,
  normalizeCellText,
  parseClipboard,
  parseNumber,
  splitClipboard,
} from './paste.ts';

const num = (value: number) => ({ kind: 'number', value });
const invalid = { kind: 'invalid' };

describe('splitClipboard', () => {
  it('reads an Excel range (CRLF rows, trailing CRLF)', () => {
    expect(splitClipboard('12\t40\r\n15\t42\r\n')).toEqual([
      ['12', '40'],
      ['15', '42'],
    ]);
  });

  it('reads a Google Sheets range (LF rows, no trailing newline)', () => {
    expect(splitClipboard('12\t40\n15\t42')).toEqual([
      ['12', '40'],
      ['15', '42'],
    ]);
  });

  it('reads a LibreOffice column with a trailing LF and old-Mac lone CRs', () => {
    expect(splitClipboard('1\n2\n3\n')).toEqual([['1'], ['2'], ['3']]);
    expect(splitClipboard('1\r2\r')).toEqual([['1'], ['2']]);
  });

  it('keeps empty cells, including trailing ones and blank rows', () => {
    expect(splitClipboard('1\t\t3\r\n\t5\t\r\n\r\n7')).toEqual([
      ['1', '', '3'],
      ['', '5', ''],
      [''],
      ['7'],
    ]);
  });

  it('unwraps quoted cells with tabs, newlines and doubled quotes', () => {
    expect(splitClipboard('"a\tb"\t"line 1\r\nline 2"\r\n"say ""hi"""\t4\r\n')).toEqual([
      ['a\tb', 'line 1\r\nline 2'],
      ['say "hi"', '4'],
    ]);
  });

  it('reads quotes that do not wrap a whole cell literally', () => {
    expect(splitClipboard('"abc" def\t5')).toEqual([['"abc" def', '5']]);
    expect(splitClipboard('5"\t"6')).toEqual([['5"', '"6']]);
  });

  it('gives no rows for empty text, one cell for a single value', () => {
    expect(splitClipboard('')).toEqual([]);
    expect(splitClipboard('42\r\n')).toEqual([['42']]);
  });
});

describe('isMultiCell', () => {
  it('is false for one value with or without a trailing newline', () => {
    expect(isMultiCell('42')).toBe(false);
    expect(isMultiCell('42\r\n')).toBe(false);
    expect(isMultiCell('')).toBe(false);
  });
  it('is true for a row or a column', () => {
    expect(isMultiCell('1\t2')).toBe(true);
    expect(isMultiCell('1\n2\n')).toBe(true);
  });
});

describe('parseNumber', () => {
  it('reads plain numbers, signs and blanks', () => {
    expect(parseNumber('42')).toEqual(num(42));
    expect(parseNumber(' 3.25 ')).toEqual(num(3.25));
    expect(parseNumber('.5')).toEqual(num(0.5));
    expect(parseNumber('-7')).toEqual(num(-7));
    expect(parseNumber('+7')).toEqual(num(7));
    expect(parseNumber('\u22127')).toEqual(num(-7));
    expect(parseNumber('-0')).toEqual(num(0));
    expect(parseNumber('')).toEqual({ kind: 'empty' });
    expect(parseNumber('   ')).toEqual({ kind: 'empty' });
  });

  it('drops thousands separators in groups of three', () => {
    expect(parseNumber('1,234')).toEqual(num(1234));
    expect(parseNumber('12,345,678')).toEqual(num(12345678));
    expect(parseNumber('1,234.5')).toEqual(num(1234.5));
    expect(parseNumber('1.234.567')).toEqual(num(1234567));
    expect(parseNumber('1.234,5')).toEqual(num(1234.5));
    expect(parseNumber('1 234')).toEqual(num(1234));
    expect(parseNumber('1\u00a0234,5')).toEqual(num(1234.5));
    expect(parseNumber('1\u202f234\u202f567')).toEqual(num(1234567));
    expect(parseNumber("1'234.5")).toEqual(num(1234.5));
  });

  it('reads an unambiguous decimal comma', () => {
    expect(parseNumber('3,5')).toEqual(num(3.5));
    expect(parseNumber('12,75')).toEqual(num(12.75));
    expect(parseNumber('0,125')).toEqual(num(0.125));
    expect(parseNumber('1234,5')).toEqual(num(1234.5));
    expect(parseNumber('1,2345')).toEqual(num(1.2345));
  });

  it('reads a lone dot as a decimal point', () => {
    expect(parseNumber('1.234')).toEqual(num(1.234));
  });

  it('keeps a percentage as the number shown', () => {
    expect(parseNumber('62%')).toEqual(num(62));
    expect(parseNumber('12.5 %')).toEqual(num(12.5));
    expect(parseNumber('62,5\u00a0%')).toEqual(num(62.5));
    expect(parseNumber('-3%')).toEqual(num(-3));
  });

  it('reads exponents as Excel shows big numbers', () => {
    expect(parseNumber('1.2E+03')).toEqual(num(1200));
    expect(parseNumber('5e-1')).toEqual(num(0.5));
  });

  it('rejects what is not a number', () => {
    for (const text of [
      'abc',
      '12abc',
      '£12',
      '#N/A',
      '#DIV/0!',
      '1,23,456',
      '1,2,3',
      '12 34',
      '1.2.3',
      '--1',
      '-',
      '%',
      ',',
      '1e999',
    ]) {
      expect(parseNumber(text), text).toEqual(invalid);
    }
  });
});

describe('normalizeCellText and parseClipboard', () => {
  it('normalises numbers and keeps other text trimmed', () => {
    expect(normalizeCellText(' 1,234.50 ')).toBe('1234.5');
    expect(normalizeCellText(' n/a ')).toBe('n/a');
    expect(normalizeCellText('  ')).toBe('');
  });

  it('reads a LibreOffice (de) range with decimal commas and percentages', () => {
    expect(parseClipboard('1.234,5\t62%\n3,5\t\n')).toEqual([
      ['1234.5', '62'],
      ['3.5', ''],
    ]);
  });
});
