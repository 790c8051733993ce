// docker-compose.yml cannot run here (no Docker engine), so its wiring is checked against the
// code: every variable given to our services is one lib/config.ts reads, and start-up order
// and health checks are what the services need.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ZConfig } from '../../../lib/config';

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[] | string;
}

const compose = parse(readFileSync(path.resolve(__dirname, '../../../docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const ourServices = ['migrate', 'api', 'worker'];

describe('docker-compose.yml', () => {
  it('has postgres, temporal, temporal-ui, migrate, api and worker', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'migrate', 'api', 'worker']));
  });

  it.each(ourServices)('%s is given only variables that lib/config.ts reads', (name) => {
    const known = new Set(Object.keys(ZConfig.shape));
    const unknown = Object.keys(services[name].environment ?? {}).filter((k) => !known.has(k));
    expect(unknown).toEqual([]);
  });

  it.each(ourServices)('%s gets a configuration that parses', (name) => {
    const env = Object.fromEntries(
      Object.entries(services[name].environment ?? {}).map(([k, v]) => [
        k,
        String(v).replace(/\$\{[A-Z_]+:[-?]([^}]*)\}/g, (_m, d: string) => (d.startsWith('set ') ? 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' : d)),
      ]),
    );
    const parsed = ZConfig.safeParse(env);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('temporal persists to the postgres service', () => {
    expect(services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(services.temporal.depends_on?.postgres.condition).toBe('service_healthy');
  });

  it('api and worker start only after migrations succeeded and Temporal is up', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on?.migrate.condition).toBe('service_completed_successfully');
    }
    expect(services.api.depends_on?.temporal.condition).toBe('service_healthy');
    expect(services.worker.depends_on?.['temporal-setup'].condition).toBe('service_completed_successfully');
  });

  it('long-running services have health checks; the search attributes are registered', () => {
    for (const name of ['postgres', 'temporal', 'api', 'worker']) expect(services[name].healthcheck?.test.length).toBeGreaterThan(0);
    const setup = JSON.stringify(services['temporal-setup'].command);
    for (const attr of ['TenantId', 'CorrelationId', 'InstallationId']) expect(setup).toContain(attr);
  });

  it('the API reads the same DATABASE_URL role the migration gives a login', () => {
    expect(String(services.api.environment?.DATABASE_URL)).toMatch(/^postgresql:\/\/fleetprompt_app:/);
    expect(String(services.migrate.command)).toContain('dist/scripts/app-login.js');
  });

  it('runs the compiled build with plain node (no tsx, no npm) and every entry is one tsconfig.build.json compiles', () => {
    const build = readFileSync(path.resolve(__dirname, '../../../tsconfig.build.json'), 'utf8');
    const entries = [services.api.command, services.worker.command, services.migrate.command].flatMap((c) => String(c).match(/dist\/[\w/.-]+\.js/g) ?? []);
    expect(entries).toEqual(['dist/api/server.js', 'dist/worker.js', 'dist/scripts/migrate.js', 'dist/scripts/app-login.js', 'dist/prisma/seed.js']);
    for (const entry of entries) {
      const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect({ source, compiled: build.includes(`"${source}"`) || build.includes(`"${source.split('/')[0]}"`) }).toEqual({ source, compiled: true });
    }
    expect(String(services.api.command)).not.toMatch(/tsx|npm/);
    expect(String(services.worker.command)).not.toMatch(/tsx|npm/);
  });
});
