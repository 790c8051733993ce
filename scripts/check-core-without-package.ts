// Proves the platform core does not depend on a package: in a throw-away copy of the committed
// tree, deletes packages/<slug>/ (with its own tests, benchmarks and scripts) and its lines in the
// registry lists (the imports from it and the names they brought), then type-checks the product
// (tsconfig.build.json), the whole project but bench/ (the core's tests and the other packages'),
// and runs the core's tests there. Usage:
//   npm run check:core-without -- <package slug> [jest path patterns…]
// Prints the files outside the package folder that name it (what "adding a package" touched).
// bench/ is left out of the type-check: the benchmarks measure the product as it ships, with its
// packages (the fan-out, Run-now and aggregation figures are the digest's), and say so by name.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const REGISTRY_LISTS = ['packages/registry.ts', 'packages/workflows.ts'];
// The core's tests of what a package plugs into: the catalogue and contract, the Temporal contract,
// model prices, the install directive end to end, the registry endpoints, the role gate and CSRF,
// and the credential routes' fingerprint and secret scope (each on whichever package the registry
// lists first, test/helpers/registered-package.ts).
const DEFAULT_TESTS = [
  'test/unit/packages',
  'test/unit/temporal',
  'test/unit/llm',
  'test/integration/install/install-directive',
  'test/integration/api/health',
  'test/integration/auth/role-table',
  'test/integration/auth/csrf',
  'test/integration/security/keyed-fingerprint',
  'test/integration/security/secret-scope-http',
];
/** Type-checked in the copy instead of tsconfig.json: everything but the benchmarks (see the header). */
const WITHOUT_BENCH_TSCONFIG = 'tsconfig.core-without.json';

function run(cmd: string, args: string[], cwd: string): number {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env }).status ?? 1;
}

function main() {
  const slug = process.argv[2];
  if (!slug || !/^[a-z][a-z0-9_]+$/.test(slug)) throw new Error('Usage: check-core-without-package.ts <package slug> [jest path patterns…]');
  if (!existsSync(path.join(ROOT, 'packages', slug))) throw new Error(`packages/${slug} does not exist`);
  const tests = process.argv.slice(3).length ? process.argv.slice(3) : DEFAULT_TESTS;

  const mentions = execFileSync('git', ['grep', '-l', slug, 'HEAD', '--', '.', `:!packages/${slug}`], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replace(/^HEAD:/, ''));
  const kind = (file: string) => (/^bench\//.test(file) ? 'benchmark' : /(^|\/)test\//.test(file) ? 'test' : /\.md$/.test(file) ? 'doc' : 'product');
  console.log(`files outside packages/${slug}/ that name it (${mentions.length}):\n${mentions.map((m) => `  ${m}  [${kind(m)}]`).join('\n')}`);

  const dir = mkdtempSync(path.join(os.tmpdir(), `fleetprompt-without-${slug}-`));
  try {
    execFileSync('bash', ['-c', `git -C "${ROOT}" archive HEAD | tar -x -C "${dir}"`]);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    if (existsSync(path.join(ROOT, '.tools'))) symlinkSync(path.join(ROOT, '.tools'), path.join(dir, '.tools'));
    rmSync(path.join(dir, 'packages', slug), { recursive: true, force: true });
    for (const list of REGISTRY_LISTS) {
      const file = path.join(dir, list);
      writeFileSync(file, withoutPackage(readFileSync(file, 'utf8'), slug));
    }
    execFileSync(process.execPath, ['scripts/prisma-generate.js'], { cwd: dir, stdio: 'ignore' });
    const tscBin = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    // The product first (what `npm run build` compiles), then everything (tests and benchmarks too).
    if (run(process.execPath, [tscBin, '--noEmit', '-p', 'tsconfig.build.json'], dir) !== 0) throw new Error(`the product does not compile without ${slug}`);
    console.log(`OK: without packages/${slug} the product code compiles`);
    writeFileSync(
      path.join(dir, WITHOUT_BENCH_TSCONFIG),
      JSON.stringify({
        extends: './tsconfig.json',
        exclude: [...(JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')) as { exclude: string[] }).exclude, 'bench'],
      }),
    );
    const tsc = run(process.execPath, [tscBin, '--noEmit', '-p', WITHOUT_BENCH_TSCONFIG], dir);
    if (tsc !== 0) {
      const tests = mentions.filter((m) => kind(m) === 'test' && /\.ts$/.test(m));
      throw new Error(
        `the product compiles without ${slug}, the tests do not (tsc's errors above): move a test of the package into packages/${slug}/test/, or make a core test package-agnostic (test/helpers/registered-package.ts). Test files that name it: ${tests.join(', ') || 'none'}`,
      );
    }
    console.log(`OK: without packages/${slug} the tests compile (bench/ not checked: it measures the shipped packages)`);
    const jest = run(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--runInBand', '--testPathPatterns', tests.join('|')], dir);
    if (jest !== 0) throw new Error(`the core's tests fail without ${slug}`);
    console.log(`OK: without packages/${slug} the product and the tests compile, and ${tests.join(', ')} pass`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A registry list without the package: its import lines from './<slug>…' go, and so do the names they imported. */
function withoutPackage(source: string, slug: string): string {
  const lines = source.split('\n');
  const imports = lines.filter((line) => line.includes(`'./${slug}'`) || line.includes(`'./${slug}/`));
  const names = imports.flatMap((line) =>
    (/\{([^}]*)\}/.exec(line)?.[1] ?? '')
      .split(',')
      .map((n) => n.trim().replace(/^type\s+/, ''))
      .filter(Boolean),
  );
  let kept = lines.filter((line) => !imports.includes(line)).join('\n');
  for (const name of names) kept = kept.replace(new RegExp(`\\b${name}\\b,\\s*|,\\s*\\b${name}\\b|^\\s*\\b${name}\\b\\n`, 'gm'), '');
  return kept;
}

main();
