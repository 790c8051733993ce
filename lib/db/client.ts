// The one Prisma client of a process, on a pg pool whose every connection runs as the
// application role. That role owns no table and lacks BYPASSRLS, so row-level security
// applies to every query even when DATABASE_URL names a superuser.
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from './generated/client';

/** Created by the row-level-security migration; owns nothing, cannot bypass RLS. */
export const APP_DB_ROLE = 'fleetprompt_app';

export type Db = PrismaClient;

export interface DbHandle {
  db: Db;
  pool: Pool;
  close(): Promise<void>;
}

export function createDb(options: { url: string; max?: number }): DbHandle {
  const pool = new Pool({ connectionString: options.url, max: options.max ?? 10 });
  pool.on('connect', (client) => {
    client.query(`SET ROLE ${APP_DB_ROLE}`).catch(() => client.release(new Error('SET ROLE failed')));
  });
  pool.on('error', () => {
    /* idle client errors (e.g. server restart) are surfaced on the next query */
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    db,
    pool,
    async close() {
      await db.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}
