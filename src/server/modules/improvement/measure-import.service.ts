/**
 * Imports of aggregate measure data from CSV or XLSX files: one row per team, measure and period.
 * The file is read and checked whole before anything is written; a dry run (the default) only
 * reports. Student-level files are refused outright (see core/measures/student-level.ts).
 */
import { parseCsv, parseNumberCell } from '../../../core/measures/csv.ts';
import {
  type Frequency,
  lastPeriods,
  normalisePeriod,
  periodLabel,
} from '../../../core/measures/periods.ts';
import {
  STUDENT_LEVEL_EXPLANATION,
  studentLevelColumns,
} from '../../../core/measures/student-level.ts';
import { readXlsx, XlsxUnreadable } from '../../../core/measures/xlsx.ts';
import { ensureAllowed, may, type Viewer, visibilityScope } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, validationFailed } from '../../platform/errors.ts';
import * as repo from './measure-data.repository.ts';
import type { ImportInput, ImportReportResponse } from './measure-data.schemas.ts';
import {
  applyPlan,
  type CellWrite,
  countOutcomes,
  lockStoredValues,
  planWrites,
  type TargetMeasure,
  type WritePlan,
} from './measure-data.service.ts';
import * as measures from './measure.repository.ts';
import { canSeeTeamData, findTeamWithVisibleData } from './scope.service.ts';

export const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_IMPORT_ROWS = 200_000;

type Column = 'measure' | 'period' | 'numerator' | 'denominator' | 'note' | 'team';

/** Accepted header names (lower case) for each column. */
const ALIASES: Record<string, Column> = {
  measure: 'measure',
  measure_id: 'measure',
  measure_name: 'measure',
  period: 'period',
  period_start: 'period',
  numerator: 'numerator',
  denominator: 'denominator',
  note: 'note',
  notes: 'note',
  team: 'team',
  team_id: 'team',
  team_name: 'team',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SheetRow {
  line: number;
  cells: string[];
}

function readRows(body: Buffer, contentType: string): SheetRow[] {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === XLSX_TYPE) {
    try {
      return readXlsx(body).rows;
    } catch (error) {
      if (error instanceof XlsxUnreadable) {
        throw new AppError(
          'bad_request',
          `The file cannot be read as a spreadsheet: ${error.message}.`,
        );
      }
      throw error;
    }
  }
  const parsed = parseCsv(body.toString('utf8'));
  if (!parsed.ok) {
    throw new AppError(
      'bad_request',
      `The CSV file cannot be read at line ${parsed.line}: ${parsed.message}.`,
      [{ path: `/body/line/${parsed.line}`, message: parsed.message }],
    );
  }
  return parsed.rows;
}

interface Header {
  index: Partial<Record<Column, number>>;
  names: Partial<Record<Column, string>>;
  ignored: string[];
}

function readHeader(cells: string[]): Header {
  const header: Header = { index: {}, names: {}, ignored: [] };
  const known = new Set(Object.keys(ALIASES));
  const personal = studentLevelColumns(cells, known);
  if (personal.length > 0) {
    throw new AppError(
      'student_level_data',
      `This file looks like student-level data (column ${personal.map((p) => `"${p.header}"`).join(', ')}), so it was refused and nothing was read. ${STUDENT_LEVEL_EXPLANATION}`,
      personal.map((p) => ({ path: `/body/header/${p.header}`, message: p.reason })),
    );
  }
  cells.forEach((cell, i) => {
    const name = cell.trim();
    const column = ALIASES[name.toLowerCase()];
    if (!column) {
      if (name) header.ignored.push(name);
      return;
    }
    if (header.index[column] !== undefined) {
      throw validationFailed([
        { path: `/body/header/${name}`, message: `a second ${column} column` },
      ]);
    }
    header.index[column] = i;
    header.names[column] = name;
  });
  const missing = (['measure', 'period', 'numerator'] as const).filter(
    (c) => header.index[c] === undefined,
  );
  if (missing.length > 0) {
    throw validationFailed(
      missing.map((c) => ({
        path: `/body/header/${c}`,
        message: `line 1 must name the columns measure, period, numerator (and optionally denominator, note, team); "${c}" is missing`,
      })),
    );
  }
  return header;
}

interface TeamRef {
  id: string;
  name: string;
  network_id: string;
}

/** The teams the file names (by id or name) that the viewer may enter data for. */
async function resolveTeams(ctx: AppContext, viewer: Viewer, values: string[]) {
  const ids = values.filter((v) => UUID.test(v));
  const names = values.filter((v) => !UUID.test(v));
  const rows = [
    ...(await repo.findTeamsByIds(ctx.db, ids)),
    ...(await repo.findTeamsByNames(ctx.db, names)),
  ].filter((team) => canSeeTeamData(viewer, team));
  const result = new Map<string, TeamRef | string>();
  for (const value of values) {
    const matches = UUID.test(value)
      ? rows.filter((t) => t.id === value.toLowerCase())
      : rows.filter((t) => t.name.toLowerCase() === value.toLowerCase());
    const unique = [...new Map(matches.map((t) => [t.id, t])).values()];
    if (unique.length === 0) result.set(value, `no team "${value}" that you can see`);
    else if (unique.length > 1)
      result.set(value, `several teams are called "${value}"; use the team's id`);
    else {
      const team = unique[0] as TeamRef;
      result.set(
        value,
        may.workInTeam(viewer, { id: team.id, networkId: team.network_id })
          ? team
          : `your roles do not allow you to enter data for team "${team.name}"`,
      );
    }
  }
  return result;
}

interface ResolvedRow {
  line: number;
  team: TeamRef | null;
  measure: (TargetMeasure & { name: string }) | null;
  period: string | null;
  numerator: number | null;
  denominator: number | null | undefined;
  note: string | undefined;
}

export async function importValues(
  ctx: AppContext,
  viewer: Viewer,
  input: ImportInput,
  body: Buffer,
  contentType: string,
): Promise<ImportReportResponse> {
  const dryRun = input.dry_run ?? true;
  const mode = input.mode ?? 'all_or_nothing';
  let defaultTeam: TeamRef | null = null;
  if (input.team_id) {
    const team = await findTeamWithVisibleData(ctx, viewer, input.team_id);
    ensureAllowed(
      viewer,
      may.workInTeam(viewer, { id: team.id, networkId: team.network_id }),
      "enter this team's data",
    );
    defaultTeam = team;
  }
  const sheet = readRows(body, contentType);
  // PostgreSQL text cannot hold U+0000; a file with it is damaged or not text at all.
  const nul = sheet.find((row) => row.cells.some((c) => c.includes('\u0000')));
  if (nul) {
    throw new AppError(
      'bad_request',
      `Line ${nul.line} of the file contains a NUL character (\\u0000): is it really a CSV or XLSX file? Nothing was read.`,
      [{ path: `/body/line/${nul.line}`, message: 'contains a NUL character' }],
    );
  }
  const headerRow = sheet[0];
  if (!headerRow)
    throw new AppError(
      'bad_request',
      'The file is empty: it needs a header line and one line per value.',
    );
  const header = readHeader(headerRow.cells);
  const data = sheet.slice(1);
  if (data.length > MAX_IMPORT_ROWS) {
    throw new AppError(
      'payload_too_large',
      `The file has ${data.length} rows; import at most ${MAX_IMPORT_ROWS} at a time.`,
    );
  }
  if (header.index.team === undefined && !defaultTeam) {
    throw validationFailed([
      { path: '/query/team_id', message: 'is required unless the file has a team column' },
    ]);
  }
  const cell = (row: SheetRow, column: Column) => {
    const i = header.index[column];
    return i === undefined ? undefined : (row.cells[i] ?? '').trim();
  };
  const col = (column: Column) => header.names[column] ?? column;

  // Teams, then the measures each team reports, each looked up once.
  const teamValues = [
    ...new Set(data.map((row) => cell(row, 'team')).filter((v): v is string => !!v)),
  ];
  const teams = await resolveTeams(ctx, viewer, teamValues);
  const teamIds = new Set<string>(defaultTeam ? [defaultTeam.id] : []);
  for (const t of teams.values()) if (typeof t !== 'string') teamIds.add(t.id);
  const reported = await measures.listMeasuresReportedByTeams(ctx.db, visibilityScope(viewer), [
    ...teamIds,
  ]);
  const byTeam = new Map<
    string,
    {
      byId: Map<string, (typeof reported)[number]>;
      byName: Map<string, (typeof reported)[number][]>;
    }
  >();
  for (const m of reported) {
    let entry = byTeam.get(m.reporting_team_id);
    if (!entry) {
      entry = { byId: new Map(), byName: new Map() };
      byTeam.set(m.reporting_team_id, entry);
    }
    entry.byId.set(m.id, m);
    const key = m.name.trim().toLowerCase();
    entry.byName.set(key, [...(entry.byName.get(key) ?? []).filter((x) => x.id !== m.id), m]);
  }

  // A file names few distinct periods (40 months for 100,000 rows): read each once.
  const periods = new Map<string, ReturnType<typeof normalisePeriod>>();
  const periodOf = (frequency: Frequency, text: string) => {
    const key = `${frequency}|${text}`;
    let period = periods.get(key);
    if (!period) {
      period = normalisePeriod(frequency, text);
      periods.set(key, period);
    }
    return period;
  };

  const errors: ImportReportResponse['errors'] = [];
  const resolved: ResolvedRow[] = [];
  const skipped = new Set<number>();
  const failed = new Set<number>();
  for (const row of data) {
    const fail = (column: Column | null, message: string) => {
      errors.push({ line: row.line, column: column ? col(column) : null, message });
      failed.add(row.line);
    };
    const r: ResolvedRow = {
      line: row.line,
      team: null,
      measure: null,
      period: null,
      numerator: null,
      denominator: undefined,
      note: cell(row, 'note'),
    };
    resolved.push(r);
    const teamValue = cell(row, 'team');
    const team = teamValue ? teams.get(teamValue) : defaultTeam;
    if (!team) {
      fail('team', 'is empty: name the team (or pass team_id)');
      continue;
    }
    if (typeof team === 'string') {
      fail('team', team);
      continue;
    }
    r.team = team;
    const measureValue = cell(row, 'measure') ?? '';
    const catalogue = byTeam.get(team.id);
    let measure = UUID.test(measureValue)
      ? catalogue?.byId.get(measureValue.toLowerCase())
      : undefined;
    if (!measure && !UUID.test(measureValue)) {
      const named = catalogue?.byName.get(measureValue.toLowerCase()) ?? [];
      const exact = named.filter((m) => m.name.trim() === measureValue);
      const candidates = exact.length > 0 ? exact : named;
      if (candidates.length > 1) {
        fail(
          'measure',
          `several measures of team "${team.name}" are called "${measureValue}"; use the measure's id`,
        );
        continue;
      }
      measure = candidates[0];
    }
    if (!measure) {
      fail(
        'measure',
        measureValue ? `team "${team.name}" reports no measure "${measureValue}"` : 'is empty',
      );
      continue;
    }
    r.measure = measure;
    const period = periodOf(measure.frequency, cell(row, 'period') ?? '');
    if (!period.ok) {
      fail('period', period.message);
      continue;
    }
    r.period = period.period;
    const numeratorText = cell(row, 'numerator') ?? '';
    const denominatorText = cell(row, 'denominator');
    if (numeratorText === '') {
      if (denominatorText) fail('numerator', 'is empty but the denominator is not');
      else skipped.add(row.line);
      continue;
    }
    const numerator = parseNumberCell(numeratorText);
    if (numerator === undefined) {
      fail(
        'numerator',
        `"${numeratorText}" is not a number (write 12 or 0.5: no thousands separators, units or %)`,
      );
      continue;
    }
    r.numerator = numerator;
    if (denominatorText !== undefined) {
      if (denominatorText === '') r.denominator = null;
      else {
        const denominator = parseNumberCell(denominatorText);
        if (denominator === undefined) {
          fail('denominator', `"${denominatorText}" is not a number`);
          continue;
        }
        r.denominator = denominator;
      }
    }
  }

  // The same team, measure and period twice is what a row-per-student file looks like.
  const firstLine = new Map<string, number>();
  const duplicates: { line: number; first: number }[] = [];
  for (const r of resolved) {
    if (!r.team || !r.measure || !r.period) continue;
    const key = `${r.team.id}|${r.measure.id}|${r.period}`;
    const first = firstLine.get(key);
    if (first === undefined) firstLine.set(key, r.line);
    else duplicates.push({ line: r.line, first });
  }
  if (duplicates.length > 0) {
    throw new AppError(
      'student_level_data',
      `${duplicates.length} lines repeat a team, measure and period of an earlier line (${duplicates
        .slice(0, 10)
        .map((d) => `line ${d.line} repeats line ${d.first}`)
        .join(
          '; ',
        )}). That looks like one row per student, so the file was refused. ${STUDENT_LEVEL_EXPLANATION}`,
      duplicates.slice(0, 100).map((d) => ({
        path: `/body/line/${d.line}`,
        message: `same team, measure and period as line ${d.first}`,
      })),
    );
  }

  const cells: CellWrite[] = [];
  for (const r of resolved) {
    if (failed.has(r.line) || skipped.has(r.line) || !r.team || !r.measure || !r.period) continue;
    cells.push({
      ref: r.line,
      measure: r.measure,
      teamId: r.team.id,
      networkId: r.team.network_id,
      period: r.period,
      numerator: r.numerator,
      denominator: r.denominator,
      note: r.note,
    });
  }

  const run = async (tx: AppContext) => {
    const plan = planWrites(await lockStoredValues(tx, cells), cells);
    for (const p of plan.problems) {
      errors.push({ line: p.ref, column: col(p.field as Column), message: p.message });
      failed.add(p.ref);
    }
    errors.sort((a, b) => a.line - b.line);
    const commit = !dryRun && (mode === 'per_row' || errors.length === 0);
    if (commit) {
      await applyPlan(tx, viewer, plan, 'import');
      await audit(tx, viewer, plan, {
        rows: data.length,
        errors: errors.length,
        teams: [...teamIds],
      });
    }
    return { plan, commit };
  };
  const { plan, commit } = dryRun ? await run(ctx) : await inTransaction(ctx, run);
  const counts = countOutcomes(plan.outcomes.values());
  // PGlite has no autovacuum: without fresh statistics the planner would keep estimating the
  // table at its old size after a large import. (PostgreSQL's autovacuum does this itself.)
  // (A sample of 30,000 rows at most: about 0.1 s after 100,000 rows, nothing for small files.)
  if (commit && ctx.dbMode === 'pglite' && !ctx.db.isTransaction && counts.created > 0) {
    await repo.refreshStatistics(ctx.db);
  }
  const outcomeOf = (line: number) =>
    failed.has(line) ? 'error' : skipped.has(line) ? 'skip' : (plan.outcomes.get(line) ?? 'skip');
  return {
    dry_run: dryRun,
    mode,
    committed: commit,
    rows: data.length,
    created: counts.created,
    updated: counts.updated,
    unchanged: counts.unchanged,
    deleted: 0,
    skipped: skipped.size,
    ignored_columns: header.ignored,
    errors,
    preview: resolved.slice(0, 20).map((r) => ({
      line: r.line,
      team_id: r.team?.id ?? null,
      measure_id: r.measure?.id ?? null,
      measure_name: r.measure?.name ?? null,
      period_start: r.period,
      numerator: r.numerator,
      denominator: r.denominator ?? null,
      note: r.note ?? null,
      outcome: outcomeOf(r.line) as 'create' | 'update' | 'unchanged' | 'skip' | 'error',
    })),
  };
}

async function audit(
  ctx: AppContext,
  viewer: Viewer,
  plan: WritePlan,
  facts: { rows: number; errors: number; teams: string[] },
) {
  const counts = countOutcomes(plan.outcomes.values());
  await recordAudit(ctx, viewer, {
    action: 'create',
    entityType: 'measure_value_import',
    entityId: ctx.newId(),
    summary: `Imported measure data: ${facts.rows} rows, ${counts.created} new, ${counts.updated} corrected, ${counts.unchanged} unchanged, ${facts.errors} with errors`,
    after: { ...counts, rows: facts.rows, errors: facts.errors, team_ids: facts.teams },
  });
}

const csvCell = (text: string) => (/[",;\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * A CSV to fill in: the header and one row per measure and expected period — the last 12 weeks or
 * months up to today (a term measure gets its last 12 recorded terms, or one row with an empty
 * period) — with the numbers left empty. Measures are named by name, or by id where two share one.
 */
export async function importTemplate(
  ctx: AppContext,
  viewer: Viewer,
  teamId: string,
  measureId: string | undefined,
): Promise<string> {
  const team = await findTeamWithVisibleData(ctx, viewer, teamId);
  const reported = (
    await measures.listMeasuresReportedByTeams(ctx.db, visibilityScope(viewer), [team.id])
  ).filter((m) => !measureId || m.id === measureId);
  if (measureId && reported.length === 0) {
    throw new AppError(
      'not_found',
      `Team "${team.name}" reports no measure ${measureId} that you can see.`,
    );
  }
  reported.sort((a, b) => a.name.localeCompare(b.name));
  const nameCount = new Map<string, number>();
  for (const m of reported)
    nameCount.set(m.name.toLowerCase(), (nameCount.get(m.name.toLowerCase()) ?? 0) + 1);
  const today = ctx.now().toISOString().slice(0, 10);
  const lines = ['measure,period,numerator,denominator,note'];
  for (const m of reported) {
    const label = (nameCount.get(m.name.toLowerCase()) ?? 0) > 1 ? m.id : m.name;
    let periods: string[];
    if (m.frequency === 'term') {
      const stored = await repo.listSeriesPeriods(ctx.db, m.id, team.id);
      periods = stored.length > 0 ? stored.slice(-12) : [''];
    } else {
      periods = lastPeriods(m.frequency, today, 12).map((p) => periodLabel(m.frequency, p));
    }
    for (const period of periods) lines.push(`${csvCell(label)},${period},,,`);
  }
  return `${lines.join('\r\n')}\r\n`;
}
