// The digest message: deterministic Markdown (same stats → same text; times in the tenant's
// zone, never the clock), most important first — failures, top errors, counts, cost — and
// fitted to a line and rune budget by dropping the least important lines, ending with a
// pointer to the full view rather than leaving Mattermost to split the post.
import { formatLocalDateTime, formatUtcOffset, utcOffsetMinutes } from '../../lib/schedule/zoned-clock';
import { isValidIanaZone } from '../../lib/schedule/iana-zone';
import type { DigestFailure, DigestStats } from './digest-stats';
import { hasActivity } from './digest-stats';
import { recommendedAction } from './recommended-action';
import { runeLength } from '../../lib/mattermost/message-limit';
import { safeInline } from '../../lib/mattermost/safe-text';

export interface FormatDigestOptions {
  /** Clamped to 5..200. */
  maxLines: number;
  includeCostEstimates: boolean;
  /** Where the full digest lives (the admin view); linked from the truncation pointer. */
  adminUrl?: string;
  /** Clamped to 1000..16383 (Mattermost's post limit); default 12000. */
  runeBudget?: number;
  /** The full digest, with no line or length budget (what the truncation pointer opens). */
  untruncated?: boolean;
  /** Already-safe lines shown right under the header and always kept (the LLM summary or its note). */
  lead?: readonly string[];
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
  const header = [headerLine(stats, zone), ...(options.lead ?? [])];
  const action = `##### Recommended next action: ${recommendedAction(stats)}`;

  if (!hasActivity(stats)) {
    const lines = [...header, 'All quiet: no installs, directives or runs in this window.', action];
    return { text: lines.join('\n'), truncated: false, lineCount: lines.length };
  }

  const failures = sortedFailures(stats.failures);
  const total = Math.max(n(stats.failureTotal ?? 0), failures.length);
  const topErrors = topErrorsSection(stats.topErrors);
  const counts = countsSection(stats);
  const cost = options.includeCostEstimates ? costSection(stats.cost) : null;
  const fullItems = failures.map((f) => failureLine(f, zone, true));

  // Output order is fixed — failures, top errors, counts, cost — whatever was kept.
  const assemble = (shown: string[], errors: string[], countLines: string[], costLines: string[], tail: string[]) => [
    ...header,
    ...failuresBlock(shown, total),
    ...(errors.length ? [topErrors.heading, ...errors] : []),
    ...countLines,
    ...costLines,
    action,
    ...tail,
  ];
  const fits = (lines: string[]) => options.untruncated === true || (lines.length <= maxLines && runeLength(lines.join('\n')) <= runeBudget);
  const allCounts = [counts.heading, ...counts.items];
  const allCost = cost ? [cost.heading, ...cost.items] : [];

  const everything = assemble(fullItems, topErrors.items, allCounts, allCost, []);
  if (fits(everything)) return { text: everything.join('\n'), truncated: false, lineCount: everything.length };

  // Truncating. The summary is kept first — the counts, or failing that one summary line — then
  // the top errors, then as many failure lines as fit (most recent first), long messages
  // shortened before a line is dropped; the cost comes last. The failures heading always says
  // the real total and "… and N more" says how many are not shown.
  const pointer = [pointerLine(options.adminUrl)];
  const countLines = fits(assemble([], [], allCounts, [], pointer)) ? allCounts : [summaryLine(stats)];
  const errors: string[] = [];
  for (const item of topErrors.items) {
    if (!fits(assemble([], [...errors, item], countLines, [], pointer))) break;
    errors.push(item);
  }
  const shown: string[] = [];
  for (const [i, f] of failures.entries()) {
    const full = fullItems[i];
    const short = failureLine(f, zone, false);
    const next = fits(assemble([...shown, full], errors, countLines, [], pointer))
      ? full
      : fits(assemble([...shown, short], errors, countLines, [], pointer))
        ? short
        : null;
    if (!next) break;
    shown.push(next);
  }
  const costLines = allCost.length && fits(assemble(shown, errors, countLines, allCost, pointer)) ? allCost : [];
  const lines = assemble(shown, errors, countLines, costLines, pointer);
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

function sortedFailures(failures: DigestFailure[]): DigestFailure[] {
  // Sorted here too (most recent first, then by content) so equal input gives equal output
  // whatever order the query returned.
  return [...failures]
    .sort(
      (a, b) =>
        (b.occurredAt.getTime() || 0) - (a.occurredAt.getTime() || 0) ||
        compare(a.type, b.type) ||
        compare(a.subject ?? '', b.subject ?? '') ||
        compare(a.errorKind ?? '', b.errorKind ?? '') ||
        compare(a.message ?? '', b.message ?? ''),
    )
    .slice(0, MAX_FAILURES);
}

/** One failure; `withMessage: false` is the short form (time · type · subject · kind) used when space is tight. */
function failureLine(f: DigestFailure, zone: string, withMessage: boolean): string {
  const parts = [failureTime(f.occurredAt, zone), safeInline(f.type, 60) || 'unknown'];
  const subject = safeInline(f.subject, 80);
  if (subject) parts.push(subject);
  const kind = safeInline(f.errorKind, 40);
  const message = withMessage ? safeInline(f.message, 160) : '';
  if (kind || message) parts.push(kind && message ? `${kind}: ${message}` : kind || message);
  return `- ${parts.join(' · ')}`;
}

/** The heading with the real total, the shown lines, and "… and N more" for the rest. */
function failuresBlock(shown: string[], total: number): string[] {
  if (total === 0) return [];
  // No line to spare for even one failure: the heading alone carries the total.
  if (shown.length === 0) return [`##### Failures (${total}): listed in the full digest`];
  const more = total - shown.length;
  return [`##### Failures (${total})`, ...shown, ...(more > 0 ? [`- … and ${more} more`] : [])];
}

/** The counts in one line, for a digest too short for the Counts section. */
function summaryLine(stats: DigestStats): string {
  const { installs, directives, executions, workflowRuns } = stats;
  const runs = workflowRuns ? ` · ${n(workflowRuns.completed + workflowRuns.failed)} workflow runs (${n(workflowRuns.failed)} failed)` : '';
  return `Summary: ${n(installs.requested)} installs (${n(installs.failed)} failed) · ${n(directives.requested)} directives (${n(directives.failed)} failed) · ${n(executions.completed + executions.failed)} agent executions (${n(executions.failed)} failed)${runs} · ${n(stats.totalSignals)} signals`;
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
  return url ? `_…truncated; see the full digest in FleetPrompt:_ ${url}` : '_…truncated; see the full digest in FleetPrompt._';
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
