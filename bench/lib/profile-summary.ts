// Summarises a V8 .cpuprofile (node --cpu-prof, or bench/lib/profile.ts) by where the time went:
// self time per component (the package or project folder a function comes from), the top
// functions, and time by what the stack is doing (which activity, workflow activations, the
// SDK's native bridge). Optionally only the stretch after the profile's longest idle gap — in
// the fan-out benchmark the worker idles while signals load, so that is the fan-out itself.
//   npx tsx bench/lib/profile-summary.ts <file.cpuprofile> [--after-longest-idle] [--top=25] [--divide=200]
// --divide=N prints milliseconds per unit of work (e.g. per digest) beside the totals.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The component a function belongs to: an npm package, a project folder, or V8's own entries. */
export function componentOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return `(${functionName || 'native'})`.replace(/^\(\((.*)\)\)$/, '($1)');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (/workflow-bundle|\/workflows?\/|webpack/.test(url)) return 'workflow sandbox (bundle)';
  const project = /\/(?:dist\/)?(lib|activities|packages|api|workflows|bench|scripts)\/([^/]+)/.exec(url);
  if (project) return `${project[1]}/${project[2]}`;
  return url.replace(/^file:\/\//, '');
}

/** What a sample's stack is doing, outermost first: the first rule that matches a frame. */
const STACK_RULES: [string, (f: CallFrame) => boolean][] = [
  ['activity beginDigestRun', (f) => f.functionName === 'beginDigestRun'],
  ['activity generateDigest', (f) => f.functionName === 'generateDigest'],
  ['activity finishDigestRun', (f) => f.functionName === 'finishDigestRun'],
  ['activity postDigest', (f) => f.functionName === 'postDigest' || f.functionName === 'postThroughLedger'],
  ['workflow activation (sandbox)', (f) => /workflow-bundle/.test(f.url) || /@temporalio\/(worker|workflow)\/lib\/workflow\//.test(f.url)],
  ['prisma (outside the activities above)', (f) => /@prisma\//.test(f.url)],
  ['temporal worker (SDK, bridge)', (f) => /@temporalio\//.test(f.url)],
];

export function summarise(profile: CpuProfile, options: { afterLongestIdle?: boolean } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const idleId = profile.nodes.find((n) => n.callFrame.functionName === '(idle)')?.id;

  // Each sample's duration is the delta to the next one.
  const durations = profile.timeDeltas
    .slice(1)
    .concat([0])
    .map((d) => Math.max(0, d) / 1000);
  let start = 0;
  if (options.afterLongestIdle) {
    let best = 0;
    let runStart = -1;
    let runMs = 0;
    profile.samples.forEach((id, i) => {
      if (id === idleId) {
        if (runStart < 0) {
          runStart = i;
          runMs = 0;
        }
        runMs += durations[i];
        if (runMs > best) {
          best = runMs;
          start = i + 1;
        }
      } else runStart = -1;
    });
  }

  const self = new Map<string, number>();
  const fn = new Map<string, number>();
  const stack = new Map<string, number>();
  let busy = 0;
  let wall = 0;
  for (let i = start; i < profile.samples.length; i++) {
    const ms = durations[i];
    wall += ms;
    const node = byId.get(profile.samples[i])!;
    if (node.id === idleId) continue;
    busy += ms;
    const comp = componentOf(node.callFrame);
    self.set(comp, (self.get(comp) ?? 0) + ms);
    const key = `${node.callFrame.functionName || '(anonymous)'} ${comp}:${node.callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + ms);
    const frames: CallFrame[] = [];
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) frames.unshift(byId.get(id)!.callFrame);
    const rule = STACK_RULES.find(([, match]) => frames.some(match));
    const what = rule ? rule[0] : `other (${componentOf(node.callFrame)})`;
    stack.set(what, (stack.get(what) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { wallMs: wall, busyMs: busy, self: sorted(self), functions: sorted(fn), stacks: sorted(stack) };
}

function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--after-longest-idle] [--top=25] [--divide=N]');
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const top = Number(arg('top') ?? 25);
  const divide = Number(arg('divide') ?? 0);
  const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, { afterLongestIdle: process.argv.includes('--after-longest-idle') });
  const fmt = (ms: number) =>
    `${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / s.busyMs).toFixed(1).padStart(5)} %${divide ? `  ${(ms / divide).toFixed(2).padStart(6)} ms/unit` : ''}`;
  console.log(`wall ${s.wallMs.toFixed(0)} ms, busy (not idle) ${s.busyMs.toFixed(0)} ms${divide ? `, ${(s.busyMs / divide).toFixed(1)} ms per unit` : ''}`);
  console.log('\nby what the stack is doing:');
  for (const [k, v] of s.stacks.slice(0, top)) console.log(`${fmt(v)}  ${k}`);
  console.log('\nself time by component:');
  for (const [k, v] of s.self.slice(0, top)) console.log(`${fmt(v)}  ${k}`);
  console.log('\ntop functions (self):');
  for (const [k, v] of s.functions.slice(0, top)) console.log(`${fmt(v)}  ${k}`);
}

if (require.main === module) main();
