// `npm run start:prod`: the API and the worker from the compiled build (dist/), each a plain
// `node` process. Migrations, the app login and the seed are separate one-shot steps in
// production (docker-compose's `migrate` service; README "Production build").
// SIGINT/SIGTERM stop both; if either exits, the other is stopped and this exits with its code.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const DIST = path.join(__dirname, '..');
const PROCESSES = [
  { name: 'api', entry: path.join(DIST, 'api', 'server.js') },
  { name: 'worker', entry: path.join(DIST, 'worker.js') },
];
const GRACE_MS = 25_000;

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function main() {
  const children = PROCESSES.map(({ entry }) => spawn(process.execPath, [...process.execArgv, entry], { stdio: 'inherit', env: process.env }));
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(children.map(stop));
    process.exit(code);
  };
  children.forEach((child, i) =>
    child.once('exit', (code, signal) => {
      if (!stopping) console.error(`start:prod: ${PROCESSES[i].name} exited (${signal ?? code}); stopping the other process.`);
      void stopAll(code ?? 1);
    }),
  );
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
}

main();
