// The stored histories: test/workflows/histories/<workflow>/<branch>[--<change>].json, one
// Temporal history per file (the History message as JSON: int64 and bytes as strings, enums by
// name). Files are added, never rewritten: an old history stays so that every later workflow
// change must still replay it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';

const History = temporal.api.history.v1.History;

export function historyToStorable(history: temporal.api.history.v1.IHistory): unknown {
  return History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String, json: true });
}

export function historyFromStored(json: unknown): temporal.api.history.v1.History {
  return History.fromObject(json as Record<string, unknown>);
}

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');
const PACKAGES_DIR = path.resolve(__dirname, '..', '..', '..', 'packages');

/**
 * Where histories are stored: the core's (test/workflows/histories) and each package's own
 * (packages/<slug>/test/workflows/histories), so removing a package removes its histories too.
 */
export function historyRoots(): string[] {
  const own = readdirSync(PACKAGES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(PACKAGES_DIR, d.name, 'test', 'workflows', 'histories'))
    .filter((dir) => existsSync(dir));
  return [HISTORIES_DIR, ...own.sort()];
}

export interface StoredHistory {
  /** <workflow>/<file name without .json>. */
  name: string;
  workflow: string;
  branch: string;
  file: string;
  workflowId: string;
  history: temporal.api.history.v1.IHistory;
}

export function historyFileName(branch: string, change?: string): string {
  return change ? `${branch}--${change}.json` : `${branch}.json`;
}

export function listStoredHistories(): StoredHistory[] {
  const out: StoredHistory[] = [];
  for (const root of historyRoots())
    for (const workflow of readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()) {
      for (const file of readdirSync(path.join(root, workflow))
        .filter((f) => f.endsWith('.json'))
        .sort()) {
        const full = path.join(root, workflow, file);
        const stored = JSON.parse(readFileSync(full, 'utf8')) as { workflowId: string; history: unknown };
        out.push({
          name: `${workflow}/${file.replace(/\.json$/, '')}`,
          workflow,
          branch: file.replace(/\.json$/, '').split('--')[0],
          file: full,
          workflowId: stored.workflowId,
          history: historyFromStored(stored.history),
        });
      }
    }
  return out;
}
