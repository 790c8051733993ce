// Postgres refuses to run as root. When we are root, the cluster runs as the `postgres` system
// user (created when missing), which must own its data folder and reach the binaries.
import { execFileSync } from 'node:child_process';
import { chmod, chown, stat } from 'node:fs/promises';
import path from 'node:path';

export interface RunAs {
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function idOf(flag: '-u' | '-g'): number {
  return Number(
    execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim(),
  );
}

/** The postgres user's ids, creating the user first if this machine has none. */
export function postgresUser(): RunAs {
  try {
    return { uid: idOf('-u'), gid: idOf('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
    return { uid: idOf('-u'), gid: idOf('-g') };
  }
}

/** Grants search (x) permission — not read — on each ancestor, so the postgres user can reach a path. */
export async function ensureTraversable(target: string): Promise<void> {
  let dir = path.resolve(target);
  for (;;) {
    try {
      const mode = (await stat(dir)).mode;
      if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
    } catch {
      /* not ours to change; Postgres will say what it cannot reach */
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

export async function giveTo(dir: string, user: RunAs): Promise<void> {
  await chown(dir, user.uid, user.gid);
}
