// What a newcomer sees when the embedded stack cannot start: a sentence that says what to do,
// not a stack trace.
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DevStackError, freePort, startEmbeddedPostgres } from '../../../scripts/dev-stack/postgres';
import { resolveTemporalCli, startTemporalDevServer } from '../../../scripts/dev-stack/temporal';

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fp-devstack-'));
  await chmod(dir, 0o755);
  return dir;
}

describe('dev stack start-up errors', () => {
  it('a taken Postgres port says which port and what to set', async () => {
    const port = await freePort();
    const blocker = net.createServer().listen(port, '127.0.0.1');
    try {
      const err = await startEmbeddedPostgres({ dataDir: path.join(await tempDir(), 'pg', 'data'), port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DevStackError);
      expect((err as Error).message).toMatch(new RegExp(`Port ${port} is already in use.*EMBEDDED_PG_PORT.*DATABASE_URL`));
    } finally {
      blocker.close();
    }
  });

  it('a damaged data folder is named, with what to do about it', async () => {
    const dataDir = path.join(await tempDir(), 'pg', 'data');
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'PG_VERSION'), 'garbage\n');
    const err = await startEmbeddedPostgres({ dataDir, port: await freePort() }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/damaged or from another Postgres version.*Move it aside/s);
    expect((err as Error).message).toContain(dataDir);
  });

  it('a TEMPORAL_CLI_PATH that is not an executable is refused with the variable named', () => {
    expect(() => resolveTemporalCli('/nonexistent/temporal')).toThrow(/TEMPORAL_CLI_PATH=\/nonexistent\/temporal is not an executable/);
  });

  it('a taken Temporal port says which port and which variables to change', async () => {
    const port = await freePort();
    const blocker = net.createServer().listen(port, '127.0.0.1');
    try {
      const err = await startTemporalDevServer({ cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI_PATH)!, port }).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(new RegExp(`Port ${port} is already in use.*TEMPORAL_DEV_PORT.*TEMPORAL_ADDRESS`));
    } finally {
      blocker.close();
    }
  });

  it('a binary that cannot run is reported, not a hang', async () => {
    const fake = path.join(await tempDir(), 'temporal');
    await writeFile(fake, '#!/bin/sh\necho "boom: not really temporal" >&2\nexit 3\n', { mode: 0o755 });
    const err = await startTemporalDevServer({ cliPath: fake, port: await freePort(), startTimeoutMs: 10_000 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/exited during start-up \(code 3.*boom: not really temporal/);
  });
});
