/**
 * Charters: a network's shared problem of practice and aim. The network's facilitators write
 * them; a charter comes with its driver diagram (the network's theory of improvement), which
 * the network's projects start from.
 */
import type { CharterTable } from '../../db/database.ts';
import { ensureAllowed, may, type Viewer, visibilityScope } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensureCurrentVersion } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { findVisibleNetwork } from '../structure/network.service.ts';
import type {
  AimInputBody,
  AimResponse,
  CharterResponse,
  CreateCharterInput,
  ListChartersInput,
  UpdateCharterInput,
} from './charter.schemas.ts';
import * as repo from './charter.repository.ts';
import { createInitialDiagram, emptyContent } from './driver-diagram.service.ts';
import { findVisibleCharter } from './scope.service.ts';

const WHAT = 'charter';

// ---- the aim, shared with projects

type AimColumns = Pick<
  CharterTable,
  'aim_what' | 'aim_for_whom' | 'aim_unit' | 'aim_baseline' | 'aim_target' | 'aim_by'
>;

export const aimOf = (row: AimColumns): AimResponse => ({
  what: row.aim_what,
  for_whom: row.aim_for_whom,
  unit: row.aim_unit,
  baseline: row.aim_baseline,
  target: row.aim_target,
  by: row.aim_by,
});

/** The columns for an aim as sent; with `base`, the parts not sent keep their value. */
export function aimColumns(input: AimInputBody | undefined, base?: AimColumns): AimColumns {
  const pick = <K extends keyof AimInputBody>(key: K) =>
    input && input[key] !== undefined ? input[key] : undefined;
  const text = (value: string | undefined, fallback: string) =>
    value !== undefined ? value.trim() : fallback;
  const what = pick('what');
  const forWhom = pick('for_whom');
  const unit = pick('unit');
  const baseline = pick('baseline');
  const target = pick('target');
  const by = pick('by');
  return {
    aim_what: text(what, base?.aim_what ?? ''),
    aim_for_whom: text(forWhom, base?.aim_for_whom ?? ''),
    aim_unit: text(unit, base?.aim_unit ?? ''),
    aim_baseline: baseline !== undefined ? baseline : (base?.aim_baseline ?? null),
    aim_target: target !== undefined ? target : (base?.aim_target ?? null),
    aim_by: by !== undefined ? by : (base?.aim_by ?? null),
  };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const amount = (value: number, unit: string) =>
  unit === '' ? String(value) : unit === '%' ? `${value}%` : `${value} ${unit}`;

const longDate = (date: string) => {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS[(month ?? 1) - 1]} ${year}`;
};

/**
 * The aim as one sentence: "Increase the share of 9th graders on track from 62% to 80% by
 * 30 June 2028 for 9th graders in network schools". The verb follows baseline → target
 * (Increase, Decrease, Maintain); with no baseline "Bring … to 80%"; with no target "Improve".
 * Empty when the aim says nothing about what improves.
 */
export function aimStatement(aim: AimResponse): string {
  if (aim.what.trim() === '') return '';
  const { baseline, target, unit } = aim;
  let sentence: string;
  if (baseline !== null && target !== null) {
    if (target === baseline) sentence = `Maintain ${aim.what} at ${amount(target, unit)}`;
    else
      sentence = `${target > baseline ? 'Increase' : 'Decrease'} ${aim.what} from ${amount(baseline, unit)} to ${amount(target, unit)}`;
  } else if (target !== null) {
    sentence = `Bring ${aim.what} to ${amount(target, unit)}`;
  } else {
    sentence = `Improve ${aim.what}${baseline !== null ? ` from ${amount(baseline, unit)}` : ''}`;
  }
  if (aim.by) sentence += ` by ${longDate(aim.by)}`;
  if (aim.for_whom.trim()) sentence += ` for ${aim.for_whom}`;
  return sentence;
}

// ---- charters

function toCharterResponse(row: repo.CharterWithNamesRow): CharterResponse {
  const aim = aimOf(row);
  return {
    id: row.id,
    network_id: row.network_id,
    network_name: row.network_name,
    title: row.title,
    problem_of_practice: row.problem_of_practice,
    aim,
    aim_statement: aimStatement(aim),
    visibility: row.visibility as CharterResponse['visibility'],
    project_count: Number(row.project_count ?? 0),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

async function findOrFail(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findCharter(ctx.db, visibilityScope(viewer), id);
  if (!row) throw notFound('Charter', id);
  return row;
}

export async function listCharters(
  ctx: AppContext,
  viewer: Viewer,
  input: ListChartersInput,
): Promise<Page<CharterResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listCharters(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    networkId: input.network_id,
  });
  return toPage(rows, limit, (row) => [row.created_at.toISOString(), row.id], toCharterResponse);
}

export async function getCharter(ctx: AppContext, viewer: Viewer, id: string) {
  await findVisibleCharter(ctx, viewer, id);
  return toCharterResponse(await findOrFail(ctx, viewer, id));
}

export async function createCharter(
  ctx: AppContext,
  viewer: Viewer,
  input: CreateCharterInput,
): Promise<CharterResponse> {
  return inTransaction(ctx, async (tx) => {
    const network = await findVisibleNetwork(tx, viewer, input.network_id);
    ensureAllowed(
      viewer,
      may.manageNetwork(viewer, input.network_id),
      'write charters for this network',
    );
    const now = tx.now();
    const id = tx.newId();
    await repo.insertCharter(tx.db, {
      id,
      network_id: input.network_id,
      title: input.title.trim(),
      problem_of_practice: input.problem_of_practice?.trim() ?? '',
      ...aimColumns(input.aim),
      visibility: input.visibility ?? 'network',
      created_by: viewer.userId ?? null,
      created_at: now,
      updated_at: now,
    });
    const after = toCharterResponse(await findOrFail(tx, viewer, id));
    await recordAudit(tx, viewer, {
      action: 'create',
      entityType: WHAT,
      entityId: id,
      summary: `Created charter "${after.title}" in ${network.name}`,
      after,
    });
    await createInitialDiagram(
      tx,
      viewer,
      { kind: 'charter', id, title: after.title },
      emptyContent(after.aim_statement),
      'empty',
    );
    return after;
  });
}

export async function updateCharter(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: UpdateCharterInput,
): Promise<CharterResponse> {
  return inTransaction(ctx, async (tx) => {
    await findVisibleCharter(tx, viewer, id);
    const before = await findOrFail(tx, viewer, id);
    ensureAllowed(viewer, may.manageNetwork(viewer, before.network_id), 'change this charter');
    const current = ensureCurrentVersion(
      await repo.findCharterForUpdate(tx.db, id),
      ifMatch,
      WHAT,
      id,
    );
    await repo.updateCharter(tx.db, id, {
      ...(input.title !== undefined ? { title: input.title.trim() } : {}),
      ...(input.problem_of_practice !== undefined
        ? { problem_of_practice: input.problem_of_practice.trim() }
        : {}),
      ...(input.aim !== undefined ? aimColumns(input.aim, current) : {}),
      ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
      updated_at: tx.now(),
    });
    const after = toCharterResponse(await findOrFail(tx, viewer, id));
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: WHAT,
      entityId: id,
      summary: `Changed charter "${after.title}"`,
      before: toCharterResponse(before),
      after,
    });
    return after;
  });
}

export async function deleteCharter(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await findVisibleCharter(tx, viewer, id);
    const before = await findOrFail(tx, viewer, id);
    ensureAllowed(viewer, may.manageNetwork(viewer, before.network_id), 'delete this charter');
    ensureCurrentVersion(await repo.findCharterForUpdate(tx.db, id), ifMatch, WHAT, id);
    const { projects, measures } = await repo.countDependents(tx.db, id);
    if (projects > 0 || measures > 0) {
      throw new AppError(
        'conflict',
        `The charter "${before.title}" still has ${projects} project(s) and ${measures} common measure(s); unlink or delete them first.`,
      );
    }
    await repo.deleteCharter(tx.db, id);
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: WHAT,
      entityId: id,
      summary: `Deleted charter "${before.title}" (its driver diagram went with it)`,
      before: toCharterResponse(before),
    });
  });
}
