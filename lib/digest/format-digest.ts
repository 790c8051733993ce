// The digest message: deterministic Markdown (same stats → same text; times in the tenant's
// zone, never the clock), most important first — failures, top errors, counts, cost — and
// fitted to a line and rune budget by dropping the least important lines, ending with a
// pointer to the full view rather than leaving Mattermost to split the post.
import { formatLocalDateTime, formatUtcOffset, utcOffsetMinutes } from '../schedule/zoned-clock';
import { isValidIanaZone } from '../schedule/iana-zone';
import type { DigestFailure, DigestStats } from './digest-stats';
import { hasActivity } from './digest-stats';
import { recommendedAction } from './recommended-action';
import { runeLength, safeInline } from './safe-text';

export interface FormatDigestOptions {
  /** Clamped to 5..200. */
  maxLines: number;
  includeCostEstimates: boolean;
  /** Where the full digest lives (the admin view); linked from the truncation pointer. */
  adminUrl?: string;
  /** Clamped to 1000..16383 (Mattermost's post limit); default 12000. */
  runeBudget?: number;
}

export interface FormattedDigest {
  text: string;
  truncated: boolean;
  lineCount: number;
}

export const DEFAULT_RUNE_BUDGET = 12_000;
const MAX_FAILURES = 20;
const MAX_TOP_ERRORS = 10;

interface Section {
  heading: string;
  items: string[];
}

const clamp = (value: number, min: number, max: number, fallback: number) =>
  Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;

const n = (value: number) => (Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);
const failed = (value: number) => (n(value) > 0 ? `**${n(value)} failed**` : '0 failed');
const counted = (value: number, word: string) => `${n(value)} ${word}${n(value) === 1 ? '' : 's'}`;

export function formatDigest(stats: DigestStats, options: FormatDigestOptions): FormattedDigest {
  const maxLines = clamp(options.maxLines, 5, 200, 50);
  const runeBudget = clamp(options.runeBudget ?? DEFAULT_RUNE_BUDGET, 1000, 16_383, DEFAULT_RUNE_BUDGET);
  const zone = isValidIanaZone(stats.timezone) ? stats.timezone : 'UTC';
  const header = headerLine(stats, zone);
  const action = `##### Recommended next action: ${recommendedAction(stats)}`;

  if (!hasActivity(stats)) {
    const lines = [header, 'All quiet: no installs, directives or runs in this window.', action];
    return { text: lines.join('\n'), truncated: false, lineCount: lines.length };
  }

  const sections = [
    failuresSection(stats.failures, zone),
    topErrorsSection(stats.topErrors),
    countsSection(stats),
    options.includeCostEstimates ? costSection(stats.cost) : null,
  ].filter((s): s is Section => s !== null && s.items.length > 0);

  const assemble = (body: string[], tail: string[]) => [header, ...body, action, ...tail];
  const fits = (lines: string[]) => lines.length <= maxLines && runeLength(lines.join('\n')) <= runeBudget;

  const everything = sections.flatMap((s) => [s.heading, ...s.items]);
  if (fits(assemble(everything, []))) {
    const lines = assemble(everything, []);
    return { text: lines.join('\n'), truncated: false, lineCount: lines.length };
  }

  // Take lines in priority order (sections in order, items in order) while they fit with the
  // pointer; the first line that does not fit ends the digest, so what is shown is always
  // everything more important than what is not.
  const pointer = [pointerLine(options.adminUrl)];
  const body: string[] = [];
  fill: for (const section of sections) {
    for (const [index, item] of section.items.entries()) {
      const next = index === 0 ? [section.heading, item] : [item];
      if (!fits(assemble([...body, ...next], pointer))) break fill;
      body.push(...next);
    }
  }
  const lines = assemble(body, pointer);
  return { text: lines.join('\n'), truncated: true, lineCount: lines.length };
}

function headerLine(stats: DigestStats, zone: string): string {
  const { windowStart, windowEnd } = stats;
  if (Number.isNaN(windowStart.getTime()) || Number.isNaN(windowEnd.getTime())) {
    throw new RangeError('windowStart and windowEnd must be valid dates');
  }
  const startOffset = utcOffsetMinutes(windowStart, zone);
  const endOffset = utcOffsetMinutes(windowEnd, zone);
  // Offsets only when they differ: then the window spans a DST change and is 23 h or 25 h long.
  const dst = startOffset !== endOffset;
  const start = `${formatLocalDateTime(windowStart, zone)}${dst ? ` (${formatUtcOffset(startOffset)})` : ''}`;
  const end = `${formatLocalDateTime(windowEnd, zone)}${dst ? ` (${formatUtcOffset(endOffset)})` : ''}`;
  const tenant = safeInline(stats.tenantName, 60) || 'your workspace';
  return `#### Ops digest for ${tenant} · ${start} – ${end} ${zone}`;
}

// "MM-DD HH:MM": a window spans two local dates, so the date stays.
function failureTime(at: Date, zone: string): string {
  return Number.isNaN(at.getTime()) ? 'time unknown' : formatLocalDateTime(at, zone).slice(5);
}

// Code-unit order, not localeCompare: identical on every ICU build.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function failuresSection(failures: DigestFailure[], zone: string): Section {
  // Sorted here too (most recent first, then by content) so equal input gives equal output
  // whatever order the query returned.
  const sorted = [...failures].sort(
    (a, b) =>
      (b.occurredAt.getTime() || 0) - (a.occurredAt.getTime() || 0) ||
      compare(a.type, b.type) ||
      compare(a.subject ?? '', b.subject ?? '') ||
      compare(a.errorKind ?? '', b.errorKind ?? '') ||
      compare(a.message ?? '', b.message ?? ''),
  );
  const items = sorted.slice(0, MAX_FAILURES).map((f) => {
    const parts = [failureTime(f.occurredAt, zone), safeInline(f.type, 60) || 'unknown'];
    const subject = safeInline(f.subject, 80);
    if (subject) parts.push(subject);
    const kind = safeInline(f.errorKind, 40);
    const message = safeInline(f.message, 160);
    if (kind || message) parts.push(kind && message ? `${kind}: ${message}` : kind || message);
    return `- ${parts.join(' · ')}`;
  });
  if (sorted.length > MAX_FAILURES) items.push(`- …and ${sorted.length - MAX_FAILURES} more`);
  return { heading: `##### Failures (${failures.length})`, items };
}

function topErrorsSection(topErrors: DigestStats['topErrors']): Section {
  const sorted = [...topErrors].sort((a, b) => n(b.count) - n(a.count) || compare(a.errorKind, b.errorKind));
  const items = sorted.slice(0, MAX_TOP_ERRORS).map((e) => `- ${safeInline(e.errorKind, 40) || 'unknown'}: ${n(e.count)}`);
  return { heading: '##### Top errors by type', items };
}

function countsSection(stats: DigestStats): Section {
  const { installs, directives, executions, workflowRuns } = stats;
  const items = [
    `- Installs: ${n(installs.requested)} requested · ${n(installs.completed)} completed · ${failed(installs.failed)} · ${counted(installs.upgrades, 'upgrade')} · ${counted(installs.uninstalls, 'uninstall')}`,
    `- Directives: ${n(directives.requested)} requested · ${n(directives.completed)} completed · ${failed(directives.failed)}`,
    `- Agent executions: ${n(executions.completed)} completed · ${failed(executions.failed)}`,
  ];
  if (workflowRuns) items.push(`- Workflow runs: ${n(workflowRuns.completed)} completed · ${failed(workflowRuns.failed)}`);
  items.push(`- Signals in window: ${n(stats.totalSignals)}`);
  return { heading: '##### Counts', items };
}

function costSection(cost: DigestStats['cost']): Section | null {
  if (!cost || !Number.isFinite(cost.totalUsd) || cost.totalUsd < 0) return null;
  const usd = cost.totalUsd > 0 && cost.totalUsd < 0.01 ? 'less than $0.01' : `$${cost.totalUsd.toFixed(2)}`;
  return {
    heading: '##### Approximate cost',
    items: [`- About ${usd} across ${counted(cost.executionsWithCost, 'execution')} that reported cost (estimate)`],
  };
}

function pointerLine(adminUrl: string | undefined): string {
  const url = safeAdminUrl(adminUrl);
  return url
    ? `_…truncated; see the full digest in FleetPrompt:_ ${url}`
    : '_…truncated; see the full digest in FleetPrompt._';
}

// Our own link, but still checked: http(s) only, no spaces, no hook URL, bounded length.
function safeAdminUrl(adminUrl: string | undefined): string | null {
  if (!adminUrl || adminUrl.length > 300 || /\s/.test(adminUrl) || /\/hooks\//i.test(adminUrl)) return null;
  try {
    const url = new URL(adminUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}
