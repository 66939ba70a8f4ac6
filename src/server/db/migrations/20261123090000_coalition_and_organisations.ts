import { type Kysely, sql } from 'kysely';

// Migrations take Kysely<unknown>: they must not depend on today's table types, which change later.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('coalition')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // One coalition per instance: a unique index on a constant enforces it in the database.
  await sql`create unique index coalition_singleton on coalition ((true))`.execute(db);

  await db.schema
    .createTable('organisation')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('nces_id', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('organisation_name_length', sql`char_length(name) between 1 and 200`)
    .addCheckConstraint('organisation_nces_id_format', sql`nces_id ~ '^([0-9]{7}|[0-9]{12})$'`)
    .execute();
  // Keyset pagination sorts by lower(name) in the C collation so PGlite and PostgreSQL agree.
  await sql`create index organisation_sort_idx on organisation ((lower(name) collate "C"), id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organisation').execute();
  await db.schema.dropTable('coalition').execute();
}
