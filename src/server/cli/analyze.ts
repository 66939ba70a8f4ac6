/**
 * `tandem analyze spc`: the SPC analysis API on the command line. Reads the same JSON request as
 * POST /api/v1/analysis/spc (or a CSV of label,value[,denominator]) from --in or standard input
 * and writes the same JSON response to standard output. Bad input exits with code 2 and a
 * message naming the line or field.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import {
  analyzeSpc,
  parseSpcCsv,
  type SpcInputError,
  SpcInputInvalid,
} from '../../core/spc/index.ts';
import { jsonErrorOffset } from '../platform/json-error-offset.ts';

export const ANALYZE_USAGE = `tandem analyze spc [--in FILE.json|FILE.csv] [options] > result.json

Reads a request from --in or standard input and writes the engine's JSON response.
JSON input is the body of POST /api/v1/analysis/spc; CSV input has the columns
label,value[,denominator] (header row optional). Options override the JSON fields:

  --chart TYPE            run, i, mr, xmr, p, u, c, pp, up (required for CSV input)
  --rule-set SET          anhoej (default), ihi, weco, mdc
  --direction D           improvement direction: increase, decrease, neutral
  --baseline K            freeze centre line and limits on points 1..K
  --parts 12,24           start a new phase after these points
  --exclude 3,7           leave these points out of the computations
  --multiply N            rescale the results (100 for percent)
  --limit-constant C      d2 (MR̄/1.128, default) or 2.66 (Making Data Count)
  --no-mr-screening       keep every moving range (screening is on by default)
  --compact               one-line JSON (default: indented)

Exit codes: 0 done, 2 bad input (the message names the line or field).`;

/** Bad input: the message is shown as is and the command exits with code 2. */
export class CliInputError extends Error {}

const OPTIONS = {
  in: { type: 'string' },
  chart: { type: 'string' },
  'rule-set': { type: 'string' },
  direction: { type: 'string' },
  baseline: { type: 'string' },
  parts: { type: 'string' },
  exclude: { type: 'string' },
  multiply: { type: 'string' },
  'limit-constant': { type: 'string' },
  'no-mr-screening': { type: 'boolean' },
  compact: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new CliInputError(`--${name} must be a number, got "${value}"`);
  }
  return n;
}

function listOption(name: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => numberOption(name, part.trim()) as number);
}

async function readInput(
  file: string | undefined,
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
) {
  if (file) {
    try {
      return { text: fs.readFileSync(file, 'utf8'), name: file };
    } catch (error) {
      throw new CliInputError(
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  }
  if (stdin.isTTY)
    throw new CliInputError('give --in FILE, or pipe a JSON request or CSV on standard input');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return { text: Buffer.concat(chunks).toString('utf8'), name: 'standard input' };
}

function fromJson(text: string, name: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new CliInputError(`${name}: the request must be a JSON object`);
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof CliInputError) throw error;
    throw new CliInputError(
      `${name}: invalid JSON at ${lineAndColumn(text, jsonErrorOffset(text))}`,
    );
  }
}

function fromCsv(text: string, name: string) {
  const parsed = parseSpcCsv(text);
  if (!parsed.ok) {
    throw new CliInputError(
      parsed.errors.map((e) => `${name}, line ${e.line}: ${e.message}`).join('\n'),
    );
  }
  if (parsed.series.length > 1) {
    throw new CliInputError(
      `${name}: ${parsed.series.length} sites found; analyse one site per run (filter the CSV by its site column)`,
    );
  }
  const series = parsed.series[0];
  if (!series) throw new CliInputError(`${name}: no data rows`);
  const request: Record<string, unknown> = { values: series.values, labels: series.labels };
  if (series.denominators) request.denominators = series.denominators;
  return { request, lines: series.lines };
}

function describeErrors(errors: SpcInputError[], name: string, lines: number[] | null): string {
  return errors
    .map((e) => {
      const point = /^\/(values|denominators|labels)\/(\d+)$/.exec(e.path);
      if (lines && point) {
        const i = Number(point[2]);
        return `${name}, line ${lines[i]} (${point[1] === 'denominators' ? 'denominator' : 'value'}): ${e.message}`;
      }
      return `${name}: ${e.path ? `${e.path.slice(1).replace(/\//g, '.')} ` : ''}${e.message}`;
    })
    .join('\n');
}

/** Runs `tandem analyze <what> …`; returns the JSON text to print. */
export async function analyzeCommand(
  args: string[],
  stdin: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
): Promise<string | null> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliInputError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  if (positionals[0] !== 'spc' || positionals.length !== 1) {
    throw new CliInputError(`unknown analysis "${positionals.join(' ')}"; only "spc" exists`);
  }
  const { text, name } = await readInput(values.in, stdin);
  const looksLikeJson = values.in
    ? values.in.toLowerCase().endsWith('.json')
    : text.trimStart().startsWith('{');
  const input = looksLikeJson
    ? { request: fromJson(text, name), lines: null }
    : fromCsv(text, name);
  const request: Record<string, unknown> = { ...input.request };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) request[key] = value;
  };
  set('chart', values.chart);
  set('ruleSet', values['rule-set']);
  set('improvementDirection', values.direction);
  set('baselineLastPoint', numberOption('baseline', values.baseline));
  set('partEnds', listOption('parts', values.parts));
  set('excludePoints', listOption('exclude', values.exclude));
  set('multiply', numberOption('multiply', values.multiply));
  set('limitConstant', values['limit-constant']);
  if (values['no-mr-screening']) request.mrScreening = false;
  if (!looksLikeJson && request.chart === undefined) {
    throw new CliInputError(
      `${name}: --chart is required for CSV input (run, i, mr, xmr, p, u, c, pp, up)`,
    );
  }
  try {
    const result = analyzeSpc(request);
    return values.compact ? JSON.stringify(result) : JSON.stringify(result, null, 2);
  } catch (error) {
    if (error instanceof SpcInputInvalid)
      throw new CliInputError(describeErrors(error.errors, name, input.lines));
    throw error;
  }
}
