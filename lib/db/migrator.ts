// Applies prisma/migrations/*/migration.sql in order and records them in _prisma_migrations
// exactly as `prisma migrate deploy` does (same table, same checksum, same advisory lock), so
// the two are interchangeable wherever Prisma's schema engine is available.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';

// The lock id Prisma's schema engine takes for migrate deploy.
const PRISMA_MIGRATE_LOCK_ID = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export const DEFAULT_MIGRATIONS_DIR = path.resolve(__dirname, '../../prisma/migrations');

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export async function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Migrations in the folder that the database has not finished applying (none when current). */
export async function pendingMigrations(databaseUrl: string, dir = DEFAULT_MIGRATIONS_DIR): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query<{ ok: boolean }>(`select to_regclass('"_prisma_migrations"') is not null as ok`);
    const files = await readMigrations(dir);
    if (!exists.rows[0].ok) return files.map((f) => f.name);
    const done = await client.query<{ migration_name: string }>(
      `select migration_name from "_prisma_migrations" where finished_at is not null and rolled_back_at is null`,
    );
    const applied = new Set(done.rows.map((r) => r.migration_name));
    return files.filter((f) => !applied.has(f.name)).map((f) => f.name);
  } finally {
    await client.end();
  }
}

export async function migrate(databaseUrl: string, dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrateResult> {
  const files = await readMigrations(dir);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_ID]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      `select migration_name, checksum, finished_at, rolled_back_at from "_prisma_migrations" order by started_at`,
    );
    const byName = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));

    for (const row of byName.values()) {
      if (row.finished_at === null) {
        throw new MigrationError(
          `Migration ${row.migration_name} started but did not finish (a failed migration). ` +
            `Fix the database by hand, then mark it rolled back or applied in _prisma_migrations.`,
        );
      }
    }

    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const file of files) {
      const prior = byName.get(file.name);
      if (prior) {
        if (prior.checksum !== file.checksum) {
          throw new MigrationError(
            `Migration ${file.name} was modified after it was applied ` +
              `(checksum ${prior.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk). ` +
              `Restore the original file and put the change in a new migration.`,
          );
        }
        result.alreadyApplied.push(file.name);
        continue;
      }
      const id = randomUUID();
      await client.query(`insert into "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) values ($1, $2, $3, now(), 0)`, [
        id,
        file.checksum,
        file.name,
      ]);
      try {
        await client.query('BEGIN');
        await client.query(file.sql);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        const message = err instanceof Error ? err.message : String(err);
        await client.query(`update "_prisma_migrations" set logs = $2 where id = $1`, [id, message]);
        throw new MigrationError(`Migration ${file.name} failed: ${message}`);
      }
      await client.query(`update "_prisma_migrations" set finished_at = now(), applied_steps_count = 1 where id = $1`, [id]);
      result.applied.push(file.name);
    }
    return result;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
