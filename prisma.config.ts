// Prisma CLI configuration (Prisma 7 keeps the datasource URL out of the schema).
// Only `prisma generate` is used on machines without the schema engine; migrations are applied
// by scripts/migrate.ts, which records them in _prisma_migrations as `prisma migrate deploy` does.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/fleetprompt' },
});
