// `npm run build`: the production build, runnable with plain `node` and a production install.
//   1. tsc -p tsconfig.build.json  → dist/ (api, worker, activities, workflows, lib, the one-shot scripts)
//   2. the files that code reads next to itself at run time: ui/, prisma/migrations/, packages/ data
//   3. the workflow bundle, made from the compiled workflows → dist/workflow-bundle.js, which the
//      compiled worker loads by path (worker.ts, loadWorkflowBundle)
// `--out-dir DIR` builds elsewhere (the build test does, inside the repository so that
// node_modules resolves); the default is dist/.
const { execFileSync } = require('node:child_process');
const { cpSync, existsSync, rmSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const outArg = process.argv.indexOf('--out-dir');
const outDir = path.resolve(root, outArg > 0 ? process.argv[outArg + 1] : 'dist');
const ASSET_DIRS = ['ui', 'prisma/migrations', 'packages'];

function run(args) {
  execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
}

rmSync(outDir, { recursive: true, force: true });
run([require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir]);
for (const dir of ASSET_DIRS) {
  const from = path.join(root, dir);
  // Sources are compiled, and a package's own tests are not shipped.
  const shipped = (src) => (!src.endsWith('.ts') || src.endsWith('.d.ts')) && !/(^|[/\\])test([/\\]|$)/.test(path.relative(from, src));
  if (existsSync(from)) cpSync(from, path.join(outDir, dir), { recursive: true, filter: shipped });
}
run([path.join(outDir, 'scripts', 'build-workflow-bundle.js')]);
console.log(`build: ${path.relative(root, outDir) || '.'}/ is ready (npm run start:prod runs it)`);
