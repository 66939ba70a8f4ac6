/** The SPC engine: pure, deterministic, shared by the API, the CLI and the chart studio. */
export { analyzeSpc, ENGINE_VERSION, TRIAL_LIMITS_BELOW } from './analyze.ts';
export { CONVENTIONS } from './conventions.ts';
export { parseSpcCsv, type SpcCsvResult, type SpcCsvSeries } from './csv.ts';
export * from './types.ts';
export { MAX_POINTS, SpcInputInvalid, validateSpcRequest } from './validate.ts';
