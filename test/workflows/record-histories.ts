// Records the history of every workflow branch (test/workflows/scenarios) on the time-skipping
// test server and stores the ones that are missing, for the replay test:
//   npm run histories:record                          store every branch that has no history yet
//   npm run histories:record -- --change NAME [--only digest-run/cancelled-mid-post ...]
//       after a workflow change that alters a branch's commands (behind patched()): store the
//       new history beside the old one as <branch>--NAME.json
// Never rewrites a stored file: old histories stay, and must keep replaying.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { allScenarios } from './scenarios';
import { runScenario } from './support/scenario';
import { HISTORIES_DIR, historyFileName, historyToStorable } from './support/stored-histories';
import { bundleWorkflows, openTimeSkippingEnv } from './support/workflow-env';

function parseArgs(argv: string[]): { change?: string; only: string[] } {
  const out: { change?: string; only: string[] } = { only: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--change' && /^[a-z0-9-]+$/.test(argv[i + 1] ?? '')) out.change = argv[++i];
    else if (argv[i] === '--only' && argv[i + 1]) out.only.push(argv[++i]);
    else throw new Error('usage: record-histories [--change kebab-name] [--only <workflow>/<branch>]...');
  }
  return out;
}

async function main(): Promise<void> {
  const { change, only } = parseArgs(process.argv.slice(2));
  const wanted = allScenarios.filter((s) => only.length === 0 || only.includes(`${s.workflow}/${s.branch}`));
  if (only.length > 0 && wanted.length !== only.length) throw new Error(`unknown branch in --only ${only.join(' ')}`);
  const todo = wanted.filter((s) => !existsSync(path.join(s.historiesDir ?? HISTORIES_DIR, s.workflow, historyFileName(s.branch, change))));
  if (todo.length === 0) {
    console.log('record-histories: every branch already has a stored history; nothing written.');
    return;
  }
  const bundle = await bundleWorkflows();
  // One test server per workflow, as in the workflow tests (a cancelled run's abandoned activity
  // would otherwise hold the next workflow's skipped time).
  for (const workflow of [...new Set(todo.map((s) => s.workflow))]) {
    const env = await openTimeSkippingEnv();
    try {
      for (const s of todo.filter((t) => t.workflow === workflow)) {
        const run = await runScenario(env, bundle, s);
        const dir = path.join(s.historiesDir ?? HISTORIES_DIR, s.workflow);
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, historyFileName(s.branch, change));
        const body = { workflowId: run.workflowId, recordedFrom: `${s.workflow}/${s.branch}`, history: historyToStorable(run.history) };
        writeFileSync(file, `${JSON.stringify(body, null, 1)}\n`, { flag: 'wx' });
        console.log(`record-histories: ${path.relative(process.cwd(), file)} (${run.history.events?.length ?? 0} events, ${run.outcome.status})`);
      }
    } finally {
      await env.teardown();
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`record-histories: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
