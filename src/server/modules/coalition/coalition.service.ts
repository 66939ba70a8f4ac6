import { ensureAllowed, may, type Viewer } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { requireIfMatch, staleWrite } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './coalition.repository.ts';
import type {
  CoalitionResponse,
  CreateCoalitionInput,
  UpdateCoalitionInput,
} from './coalition.schemas.ts';

const notSetUp = () =>
  new AppError(
    'not_found',
    'This Tandem instance has no coalition yet. Run `tandem seed` for the demo, or set one up.',
  );

export function toCoalitionResponse(row: repo.CoalitionRow): CoalitionResponse {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

export async function getCoalition(ctx: AppContext): Promise<CoalitionResponse> {
  const row = await repo.findCoalition(ctx.db);
  if (!row) throw notSetUp();
  return toCoalitionResponse(row);
}

export async function hasCoalition(ctx: AppContext): Promise<boolean> {
  return (await repo.findCoalition(ctx.db)) !== undefined;
}

export async function createCoalition(
  ctx: AppContext,
  input: CreateCoalitionInput,
): Promise<CoalitionResponse> {
  const now = ctx.now();
  try {
    const row = await repo.insertCoalition(ctx.db, {
      id: ctx.newId(),
      name: input.name,
      slug: input.slug,
      description: input.description,
      created_at: now,
      updated_at: now,
    });
    return toCoalitionResponse(row);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', 'This instance already has a coalition.');
    }
    throw error;
  }
}

export async function updateCoalition(
  ctx: AppContext,
  viewer: Viewer,
  ifMatch: string | undefined,
  input: UpdateCoalitionInput,
): Promise<CoalitionResponse> {
  ensureAllowed(viewer, may.manageCoalition(viewer), "change the coalition's settings");
  const expected = requireIfMatch(ifMatch, 'coalition');
  return inTransaction(ctx, async (tx) => {
    const current = await repo.findCoalitionForUpdate(tx.db);
    if (!current) throw notSetUp();
    if (current.version !== expected) throw staleWrite('coalition', current.version);
    const row = await repo.updateCoalition(tx.db, current.id, {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      updated_at: tx.now(),
    });
    const after = toCoalitionResponse(row);
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: 'coalition',
      entityId: row.id,
      summary: 'Changed the coalition settings',
      before: toCoalitionResponse(current),
      after,
    });
    return after;
  });
}
