import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSpc } from '../../src/core/spc/index.ts';

const BIN = path.resolve('bin/tandem.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-analyze-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, 'analyze', ...args], {
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: undefined },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('tandem analyze spc', () => {
  it('reads the API request from stdin and writes the same response as the engine', () => {
    const request = { chart: 'i', values: [5, 7, 6, 9, 8, 12, 7], ruleSet: 'weco' };
    const { code, stdout, stderr } = run(['spc'], JSON.stringify(request));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(analyzeSpc(request));
  });

  it('reads a CSV file with --in, options from flags, labels from the first column', () => {
    const file = path.join(dir, 'on-track.csv');
    fs.writeFileSync(file, 'month,on_track,students\nSep,40,80\nOct,44,82\nNov,41,79\n');
    const { code, stdout } = run([
      'spc',
      '--in',
      file,
      '--chart',
      'p',
      '--multiply',
      '100',
      '--compact',
    ]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const body = JSON.parse(stdout);
    expect(body.points.map((p: { label: string }) => p.label)).toEqual(['Sep', 'Oct', 'Nov']);
    expect(body.parts[0].cl).toBeCloseTo((125 / 241) * 100, 10);
    expect(body.engine.multiply).toBe(100);
  });

  it('names the CSV line of a non-numeric cell and exits with code 2', () => {
    const { code, stdout, stderr } = run(['spc', '--chart', 'c'], 'week,count\nw1,3\nw2,three\n');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('line 3: value "three" is not a number');
  });

  it('names the CSV line of a value the engine refuses', () => {
    const { code, stderr } = run(['spc', '--chart', 'p'], 'a,5,4\nb,3,4\n');
    expect(code).toBe(2);
    expect(stderr).toContain(
      'line 1 (value): point 1: numerator 5 is larger than its denominator 4',
    );
  });

  it('names the JSON field and the position of broken JSON', () => {
    const bad = run(['spc'], '{"chart":"u","values":[1,2],"denominators":[1,0]}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('denominators.1');
    const broken = run(['spc'], '{\n  "chart": "i",\n  "values": [1,,2]\n}');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('invalid JSON at line 3');
  });

  it('refuses an unknown analysis, a missing --chart for CSV and an unknown option', () => {
    expect(run(['nelson'], '{}').code).toBe(2);
    const noChart = run(['spc'], 'a,1\nb,2\n');
    expect(noChart.code).toBe(2);
    expect(noChart.stderr).toContain('--chart is required');
    expect(run(['spc', '--colour', 'red'], '{}').code).toBe(2);
  });
});
