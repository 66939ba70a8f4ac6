import type { Db } from '../../db/database.ts';

export async function readSetting(db: Db, key: string): Promise<unknown> {
  const row = await db
    .selectFrom('instance_setting')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function writeSetting(db: Db, key: string, value: unknown, now: Date): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('instance_setting')
    .values({ key, value: json, updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        value: json,
        updated_at: now,
        version: eb('instance_setting.version', '+', 1),
      })),
    )
    .execute();
}
