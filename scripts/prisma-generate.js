// Runs `prisma generate` on machines where Prisma cannot download its schema engine:
// generation itself does not use the engine, but the CLI insists that the variable points at a file.
// A production install (`npm ci --omit=dev`, or NODE_ENV=production) needs no generation: the
// generated client is compiled into dist/ by `npm run build`, so this step is skipped there.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const cli = path.join(__dirname, '..', 'node_modules', 'prisma', 'build', 'index.js');
const omitted = (process.env.npm_config_omit ?? '').split(/[\s,]+/);
if (omitted.includes('dev') || !existsSync(cli)) {
  console.log('prisma-generate: skipped (a production install; the client compiled into dist/ is used).');
  process.exit(0);
}
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
execFileSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env, cwd: path.join(__dirname, '..') });
