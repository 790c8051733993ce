// The hand-written SQL migrations and prisma/schema.prisma must describe the same database:
// every table, column, type, nullability, unique constraint and index.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getDMMF } from '@prisma/internals';
import type { Client } from 'pg';
import { adminClient } from '../../helpers/db';

type DMMF = Awaited<ReturnType<typeof getDMMF>>;
type Model = DMMF['datamodel']['models'][number];
type Field = Model['fields'][number];

function expectedSqlType(field: Field): string {
  if (field.kind === 'enum') return `USER-DEFINED:${field.type}`;
  const native = field.nativeType as [string, string[]] | null | undefined;
  if (native?.[0] === 'Uuid') return 'uuid';
  if (native?.[0] === 'Timestamptz') return 'timestamp with time zone';
  const map: Record<string, string> = {
    String: 'text',
    DateTime: 'timestamp without time zone',
    Json: 'jsonb',
    Bytes: 'bytea',
    Int: 'integer',
    Boolean: 'boolean',
    BigInt: 'bigint',
    Decimal: 'numeric',
  };
  return map[field.type] ?? `unknown:${field.type}`;
}

describe('migrated database matches the Prisma data model', () => {
  let dmmf: DMMF;
  let pg: Client;
  const column = (f: Field) => f.dbName ?? f.name;

  beforeAll(async () => {
    dmmf = await getDMMF({ datamodel: readFileSync(path.resolve(__dirname, '../../../prisma/schema.prisma'), 'utf8') });
    pg = await adminClient();
  });
  afterAll(() => pg.end());

  it('has exactly the tables of the model (plus _prisma_migrations)', async () => {
    const { rows } = await pg.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const actual = rows.map((r) => r.table_name).sort();
    const expected = [...dmmf.datamodel.models.map((m) => m.dbName ?? m.name), '_prisma_migrations'].sort();
    expect(actual).toEqual(expected);
  });

  it('has every column with its type and nullability, and no extra column', async () => {
    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      const { rows } = await pg.query<{ column_name: string; data_type: string; udt_name: string; is_nullable: string; datetime_precision: number | null }>(
        `select column_name, data_type, udt_name, is_nullable, datetime_precision from information_schema.columns where table_schema = 'public' and table_name = $1`,
        [table],
      );
      const actual = Object.fromEntries(
        rows.map((r) => [
          r.column_name,
          { type: r.data_type === 'USER-DEFINED' ? `USER-DEFINED:${r.udt_name}` : r.data_type, nullable: r.is_nullable === 'YES' },
        ]),
      );
      const scalarFields = model.fields.filter((f) => f.kind !== 'object');
      const expected = Object.fromEntries(scalarFields.map((f) => [column(f), { type: expectedSqlType(f), nullable: !f.isRequired }]));
      expect({ table, columns: actual }).toEqual({ table, columns: expected });
    }
  });

  it('has every unique constraint and index of the model, and no others', async () => {
    const { rows } = await pg.query<{ tablename: string; indexdef: string }>(
      `select tablename, indexdef from pg_indexes where schemaname = 'public' and tablename <> '_prisma_migrations'`,
    );
    const actual = rows
      .map((r) => {
        const unique = /CREATE UNIQUE INDEX/.test(r.indexdef);
        const [, columns, predicate] = /USING \w+ \(([^)]*)\)(?: WHERE (.*))?$/.exec(r.indexdef)!;
        const cols = columns.split(',').map((c) => c.trim().replace(/"/g, ''));
        return `${r.tablename}:${unique ? 'unique' : 'index'}:${cols.join(',')}${predicate ? ` where ${predicate}` : ''}`;
      })
      .sort();

    // Partial indexes, which Prisma's schema cannot declare (each named in a comment there).
    const expected: string[] = ['installations:index:updated_at where (observed_version < desired_version)'];
    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      const byName = Object.fromEntries(model.fields.map((f) => [f.name, column(f)]));
      const seen = new Set<string>();
      for (const idx of dmmf.datamodel.indexes.filter((i) => i.model === model.name)) {
        const kind = idx.type === 'normal' ? 'index' : 'unique'; // id and unique both enforce uniqueness
        const entry = `${table}:${kind}:${idx.fields.map((f) => byName[f.name]).join(',')}`;
        if (!seen.has(entry)) expected.push(entry);
        seen.add(entry);
      }
    }
    expect(actual).toEqual(expected.sort());
  });

  it('has the enum types with the model’s values in order', async () => {
    for (const e of dmmf.datamodel.enums) {
      const { rows } = await pg.query<{ enumlabel: string }>(
        `select e.enumlabel from pg_enum e join pg_type t on t.oid = e.enumtypid where t.typname = $1 order by e.enumsortorder`,
        [e.name],
      );
      expect({ enum: e.name, values: rows.map((r) => r.enumlabel) }).toEqual({ enum: e.name, values: e.values.map((v) => v.name) });
    }
  });
});
