// The one Prisma client of a process (pg pool + Prisma's pg adapter). DATABASE_URL must name a
// role that owns no table and cannot bypass row-level security (fleetprompt_app, or a login
// role granted it); assertConfinedRole refuses to run the app as a superuser or table owner.
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from './generated/client';
import { keepWasmOnBaselineTier } from './wasm-baseline-tier';

export type Db = PrismaClient;

export interface DbHandle {
  db: Db;
  pool: Pool;
  /** A property, not a method: callers destructure it (`const { db, close } = createDb(…)`). */
  close: () => Promise<void>;
}

// The pg pool under each client createDb made, for the few hot paths that bypass Prisma's query
// layer (signal ingest: Prisma's raw-query parameter handling cost more CPU than the insert).
const pools = new WeakMap<Db, Pool>();

/** The pg pool of a client made by createDb, or undefined (a client made some other way). */
export function poolOf(db: Db): Pool | undefined {
  return pools.get(db);
}

export function createDb(options: { url: string; max?: number }): DbHandle {
  const pool = new Pool({ connectionString: options.url, max: options.max ?? 10 });
  pool.on('error', () => {
    /* idle client errors (e.g. a server restart) surface on the next query */
  });
  keepWasmOnBaselineTier();
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  pools.set(db, pool);
  return {
    db,
    pool,
    close: async () => {
      await db.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

export class UnconfinedRoleError extends Error {
  constructor(role: string) {
    super(
      `DATABASE_URL connects as "${role}", which is a superuser, can bypass row-level security, or owns tables. ` +
        `Connect the application as fleetprompt_app (or a login role granted it) and run migrations with MIGRATION_DATABASE_URL.`,
    );
    this.name = 'UnconfinedRoleError';
  }
}

/** Throws unless the connected role is subject to row-level security on every table. */
export async function assertConfinedRole(db: Db): Promise<void> {
  const rows = await db.$queryRaw<{ role: string; unconfined: boolean }[]>`
    select current_user as role,
           (r.rolsuper or r.rolbypassrls or exists (select 1 from pg_tables t where t.schemaname = 'public' and t.tableowner = current_user)) as unconfined
    from pg_roles r where r.rolname = current_user`;
  if (!rows[0] || rows[0].unconfined) throw new UnconfinedRoleError(rows[0]?.role ?? 'unknown');
}
