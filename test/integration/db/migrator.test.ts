// The project's migrator behaves as `prisma migrate deploy`: it records checksums in
// _prisma_migrations, changes nothing the second time, reports an edited applied migration,
// and serialises concurrent starters with an advisory lock.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { DEFAULT_MIGRATIONS_DIR, migrate, pendingMigrations, readMigrations } from '../../../lib/db/migrator';
import { adminClient, migrationDatabaseUrl } from '../../helpers/db';

async function freshDatabase(): Promise<string> {
  const name = `mig_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = await adminClient();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(migrationDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function schemaFingerprint(url: string): Promise<string> {
  const pg = await adminClient(url);
  const { rows } = await pg.query(`select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' order by 1, 2`);
  const policies = await pg.query(`select tablename, policyname from pg_policies order by 1, 2`);
  await pg.end();
  return JSON.stringify([rows, policies.rows]);
}

describe('migrator', () => {
  it('applies every migration once and records it as prisma migrate deploy does', async () => {
    const url = await freshDatabase();
    expect(await pendingMigrations(url)).toHaveLength((await readMigrations()).length);
    const first = await migrate(url);
    expect(first.applied.length).toBeGreaterThanOrEqual(2);
    const pg = await adminClient(url);
    const { rows } = await pg.query(
      `select migration_name, checksum, finished_at, applied_steps_count, rolled_back_at from _prisma_migrations order by migration_name`,
    );
    await pg.end();
    for (const [i, file] of (await readMigrations()).entries()) {
      const sql = await readFile(path.join(DEFAULT_MIGRATIONS_DIR, file.name, 'migration.sql'), 'utf8');
      expect(rows[i]).toMatchObject({
        migration_name: file.name,
        checksum: createHash('sha256').update(sql).digest('hex'),
        applied_steps_count: 1,
        rolled_back_at: null,
      });
      expect(rows[i].finished_at).toBeInstanceOf(Date);
    }
    expect(await pendingMigrations(url)).toEqual([]);
  });

  it('migrating twice changes nothing', async () => {
    const url = await freshDatabase();
    await migrate(url);
    const before = await schemaFingerprint(url);
    const second = await migrate(url);
    expect(second.applied).toEqual([]);
    expect(await schemaFingerprint(url)).toBe(before);
  });

  it('reports an already-applied migration whose file was changed', async () => {
    const url = await freshDatabase();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(url, dir);
    const [first] = await readMigrations(dir);
    await writeFile(path.join(dir, first.name, 'migration.sql'), `${first.sql}\n-- edited\n`);
    await expect(migrate(url, dir)).rejects.toThrow(new RegExp(`Migration ${first.name} was modified after it was applied`));
  });

  it('two concurrent starters apply each migration exactly once', async () => {
    const url = await freshDatabase();
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    const appliedCounts = results.map((r) => r.applied.length).sort();
    expect(appliedCounts[0]).toBe(0);
    expect(appliedCounts[1]).toBe(0);
    expect(appliedCounts[2]).toBe((await readMigrations()).length);
    const pg = await adminClient(url);
    const { rows } = await pg.query(`select count(*)::int as n from _prisma_migrations`);
    await pg.end();
    expect(rows[0].n).toBe((await readMigrations()).length);
  });
});
