/**
 * Every convention the engine follows, with its source. The API returns this list in
 * `engine.conventions` and docs/statistics/spc.md explains each one.
 */
import type { SpcConvention } from './types.ts';

export const CONVENTIONS: SpcConvention[] = [
  {
    id: 'indices',
    statement: 'Point numbers are 1-based everywhere: requests, responses, signals and patterns.',
    source: 'Tandem API convention',
  },
  {
    id: 'baseline',
    statement:
      'baselineLastPoint k freezes the centre line and limits of the part containing k on its points up to k and extends them forward; the runs analysis and the rules still cover every point of the part against that centre line. Other parts use all their points.',
    source: 'qicharts2 `freeze` (Anhøj); Provost & Murray (2011) ch. 4',
  },
  {
    id: 'parts',
    statement:
      'partEnds split the series after the given points; each part has its own centre line, limits, runs analysis and rules. The engine never re-phases by itself; it may suggest a phase where a sustained shift starts (suggestedPhases) for a person to accept.',
    source: 'qicharts2 `part`; NHSRplotthedots `rebase`',
  },
  {
    id: 'excluded',
    statement:
      'Excluded points are left out of the centre line, the limits, the runs analysis and the pattern rules, but are still plotted and still tested against the limits.',
    source: 'qicharts2 `exclude`',
  },
  {
    id: 'missing',
    statement:
      'A missing value (null) is plotted as a gap; it is left out of every computation, and a moving range next to it is missing too (it is not bridged). Pattern rules skip it.',
    source: 'qicharts2 (R NA semantics)',
  },
  {
    id: 'moving_ranges',
    statement:
      'Moving ranges of an I chart are taken over the included baseline points in order (excluded points are skipped, so the range bridges them).',
    source: 'qicharts2 qic.i',
  },
  {
    id: 'mr_screening',
    statement:
      'Moving-range screening (on unless mrScreening is false): MR̄ is computed, moving ranges ≥ 3.267·MR̄ are dropped and MR̄ is recomputed once. Applies to the I chart and to Laney σz.',
    source: 'Nelson (1982); qicharts2 ≥ 0.8 option qic.screenedmr; NHSRplotthedots screen_outliers',
  },
  {
    id: 'i_chart_constant',
    statement:
      'I chart: sigma = MR̄/1.128 and limits CL ± 3·sigma (limitConstant "d2", the default), or limits exactly CL ± 2.66·MR̄ with sigma = 2.66·MR̄/3 (limitConstant "2.66", the default under the mdc rule set).',
    source: 'Montgomery (6.33); qicharts2; NHS England Making Data Count',
  },
  {
    id: 'ratios_on_i_chart',
    statement:
      'A run, I or MR chart given denominators plots the ratios value/denominator; the I chart centre line is their unweighted mean.',
    source: 'qicharts2',
  },
  {
    id: 'attribute_charts',
    statement:
      'p, p′, u and u′ centre lines are pooled over the baseline (Σ numerators / Σ denominators of points with a value); c uses the mean count. Limits are truncated at 0, and p and p′ also at 1.',
    source: 'Montgomery (7.7, 7.17, 7.19); qicharts2',
  },
  {
    id: 'laney',
    statement:
      'Laney p′ and u′: z_i = (y_i − CL)/σ_i over the baseline points, σz = mean |moving range of z| / 1.128 (screened when mrScreening is on), limits CL ± 3·σ_i·σz.',
    source: 'Laney (2002); qicharts2 qic.pp, qic.up',
  },
  {
    id: 'mr_chart',
    statement:
      'MR chart: point 1 of each part has no value (y null) but its centre line and limits are given; CL = MR̄ of the baseline (unscreened), LCL = 0, UCL = 3.267·MR̄. Only the limit rule applies; runs counts are reported but runsSignal is always false.',
    source: 'qicharts2 qic.mr; Montgomery table VI (D4 = 3.267)',
  },
  {
    id: 'multiply',
    statement:
      'multiply rescales the statistic, centre line, limits and sigma after computing (e.g. 100 for percent, 1000 for a rate per 1,000).',
    source: 'qicharts2 `multiply`',
  },
  {
    id: 'sigma_signal',
    statement:
      'A point is outside the limits when y > UCL or y < LCL (strictly). sigmaSignalPoints lists them whatever the rule set.',
    source: 'qicharts2 sigma.signal',
  },
  {
    id: 'anhoej',
    statement:
      'Anhøj runs analysis: points on the centre line are dropped; signal when the longest run > round(log2(n) + 3) or the number of crossings < the smallest x with P(X ≤ x) ≥ 0.05 for X ~ Binomial(n − 1, 0.5), n = useful points.',
    source: 'Anhøj & Olesen (2014); Anhøj (2015); qicharts2 runs.analysis',
  },
  {
    id: 'ihi',
    statement:
      'IHI run-chart rules: shift ≥ 6 on one side of the median (points on it skipped); trend ≥ 5 up or down (equal neighbours count once); too few or too many runs outside the Swed–Eisenhart limits for n useful points split evenly, 2.5 % per tail (n ≥ 10); astronomical point = outside the I-chart limits of the same part. Control charts: outside 3σ, 8 in a row on one side (points on the line skipped), 6 in a row up or down (equal neighbours count once), 2 of 3 beyond 2σ on the same side, 15 in a row within 1σ.',
    source: 'Provost & Murray, The Health Care Data Guide (2011) ch. 3–5; Swed & Eisenhart (1943)',
  },
  {
    id: 'weco',
    statement:
      'Western Electric: 1 beyond 3σ; 2 of 3 beyond 2σ on one side; 4 of 5 beyond 1σ on one side; 8 in a row on one side (a point on the centre line breaks the run). Beyond 2σ and 1σ include points beyond 3σ.',
    source: 'Western Electric Statistical Quality Control Handbook (1956); Montgomery 5.3.6',
  },
  {
    id: 'mdc',
    statement:
      "Making Data Count: outside the limits; 7 points with 6 strictly increasing or decreasing steps; 2 of 3 consecutive points all on one side of the mean with at least 2 between the 2σ line and the process limit; 7 in a row on one side of the mean (a point on the mean breaks it). Each point is classed common cause or special cause improvement / concern / neutral, with precedence outside limits, trend (by the trend's direction), 2 of 3, shift (by side).",
    source: 'NHS England Making Data Count; NHSRplotthedots ptd_calculate_point_type',
  },
  {
    id: 'signal_points',
    statement:
      'signals[] on a point lists the rules for which that point completes a qualifying pattern: the Nth and every later point of a run or trend of N+, the last point of each qualifying window for "2 of 3" and "4 of 5", the last useful point of the part for the crossings and runs rules. patterns[] lists each maximal occurrence with all of its points.',
    source: 'Minitab and NHSRplotthedots convention',
  },
  {
    id: 'short_series',
    statement:
      'Limits computed from fewer than 12 points are trial limits (parts[].trialLimits). With fewer than 8 useful points the run and trend rules are not evaluated: runsSignal is false and they are listed in notEvaluable.',
    source: 'Provost & Murray (2011); NHSRplotthedots short-group warning',
  },
];
