/**
 * Pattern finders shared by the rule sets. They work on the sequence of *useful* points of one
 * part: not excluded, not missing, in time order. Positions are 0-based indices into the series.
 */

export interface SeqPoint {
  index: number;
  y: number;
  cl: number;
  sigma: number | null;
  lcl: number | null;
  ucl: number | null;
}

export interface Run {
  side: 1 | -1;
  points: number[];
}

/**
 * Maximal runs of points on one side of the centre line. With `onLine: 'skip'` a point on the
 * line neither breaks nor extends a run (Anhøj; Provost & Murray); with `'break'` it ends the
 * run (Western Electric; Making Data Count: "a point on the mean breaks it").
 */
export function runsAboutCentre(seq: SeqPoint[], onLine: 'skip' | 'break'): Run[] {
  const runs: Run[] = [];
  let current: Run | null = null;
  for (const p of seq) {
    const side = Math.sign(p.y - p.cl);
    if (side === 0) {
      if (onLine === 'break') current = null;
      continue;
    }
    if (current && current.side === side) current.points.push(p.index);
    else {
      current = { side: side as 1 | -1, points: [p.index] };
      runs.push(current);
    }
  }
  return runs;
}

export interface Trend {
  direction: 1 | -1;
  /** The trend's points grouped by value: a repeated value forms one group of several points. */
  groups: number[][];
}

/**
 * Maximal monotone sequences. With `ties: 'collapse'` equal neighbours count once and neither
 * make nor break a trend (Provost & Murray); with `'break'` only strict steps continue it
 * (Making Data Count: 6 strictly increasing or decreasing steps). A trend's length is its
 * number of groups; neighbouring trends share their turning point.
 */
export function monotoneTrends(seq: SeqPoint[], ties: 'collapse' | 'break'): Trend[] {
  const groups: { y: number; points: number[] }[] = [];
  for (const p of seq) {
    const last = groups[groups.length - 1];
    if (ties === 'collapse' && last && last.y === p.y) last.points.push(p.index);
    else groups.push({ y: p.y, points: [p.index] });
  }
  const trends: Trend[] = [];
  let current: Trend | null = null;
  for (let g = 1; g < groups.length; g += 1) {
    const previous = groups[g - 1] as { y: number; points: number[] };
    const group = groups[g] as { y: number; points: number[] };
    const step = Math.sign(group.y - previous.y);
    if (step === 0) {
      current = null;
    } else if (current && current.direction === step) {
      current.groups.push(group.points);
    } else {
      current = { direction: step as 1 | -1, groups: [previous.points, group.points] };
      trends.push(current);
    }
  }
  return trends;
}

/** Side of a point beyond `k` sigma from the centre line: 1 above, -1 below, 0 within. */
export function beyond(p: SeqPoint, k: number): -1 | 0 | 1 {
  if (p.sigma === null) return 0;
  if (p.y > p.cl + k * p.sigma) return 1;
  if (p.y < p.cl - k * p.sigma) return -1;
  return 0;
}

/** Outside the control limits (strictly), as qicharts2's sigma signal. */
export function outsideLimits(p: {
  y: number;
  lcl: number | null;
  ucl: number | null;
}): -1 | 0 | 1 {
  if (p.ucl !== null && p.y > p.ucl) return 1;
  if (p.lcl !== null && p.y < p.lcl) return -1;
  return 0;
}
