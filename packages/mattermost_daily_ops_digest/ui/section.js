// @ts-check
// The digest's section of the installation page (PackageDefinition.uiSection; served at
// /assets/packages/mattermost_daily_ops_digest/ui/section.js, loaded by the core installation
// page): the first-run checklist, health with the last error and what to do about it, the
// Mattermost connection (the core card), schedule and options with the LLM summary's caps, the
// preview, Run now with the hourly quota, and recent runs with the digest each posted and Retry.
// The install progress, uninstall, the connection card and the page's head are the core's
// (ui/assets/installation/). This module lays the page out and reads it; its parts are
// checklist.js, settings.js (with channel-picker.js) and runs.js, sharing page-state.js. Never
// shows a secret: the connection is described by the API's masked metadata only.
import { api, tenantPath } from '../../../api.js';
import { announce, card, h, replace } from '../../../dom.js';
import { connectionCard } from '../../../installation/connection-card.js';
import { frameHead, renderFrameHead } from '../../../installation/frame.js';
import { ACTIVE_INSTALL, installProgress, progressSlots } from '../../../installation/install-progress.js';
import { renderUninstall } from '../../../installation/uninstall.js';
import { poller } from '../../../poll.js';
import { state, path, page, ACTIVE_RUN } from './page-state.js';
import { renderChecklist } from './checklist.js';
import { settingsForm, fillSettings, renderSettingsState } from './settings.js';
import { renderHealth, renderRun, renderRuns, settleWatchedRun } from './runs.js';

/** @typedef {import('../../../installation/frame.js').SectionContext} SectionContext */

const FAST_MS = 1500;
const SLOW_MS = 10_000;
const UNINSTALL_STOPS = 'Stops the daily digest and deletes its schedule.';

/** The core's parts of the page, made once the context is known (renderSection). */
let connection = null;
let progress = null;
const poll = poller(
  () => refresh(),
  () => (busyNow() ? FAST_MS : SLOW_MS),
);

// ---------------------------------------------------------------- skeleton

function skeleton() {
  // Order matters on a phone (one column): status, connect, then Run now — you cannot run
  // before you connect. On a wide screen: status, connection and Run now on the left; the
  // schedule, options and preview on the right; the runs across the bottom.
  const slots = progressSlots();
  return [
    ...frameHead(),
    h('div', { id: 'checklist-slot' }),
    slots.top,
    h(
      'div',
      { class: 'cols' },
      h(
        'div',
        {},
        card('health', 'Status', h('div', { id: 'health-body' })),
        connection.node,
        card('run', 'Run now', h('div', { id: 'run-body' }), h('div', { id: 'run-message' })),
      ),
      h('div', {}, card('settings', 'Schedule and options', h('div', { id: 'settings-message' }), settingsForm())),
    ),
    h(
      'section',
      { class: 'card', id: 'preview-card', 'aria-labelledby': 'preview-title', hidden: true },
      h('div', { id: 'preview-panel', class: 'preview-panel' }),
    ),
    card('runs', 'Recent runs', h('div', { id: 'runs-body' })),
    slots.bottom,
    h('div', { id: 'uninstall-slot' }),
  ];
}

// ---------------------------------------------------------------- data

async function refresh() {
  const [installation, health, credential, runs, llm, tenant] = await Promise.all([
    api.get(path()),
    api.get(path('/health')),
    api.get(path('/credential')),
    api.get(tenantPath(state.membership, `/executions?installation_id=${state.id}&limit=10`)),
    api.get(path('/llm')).catch(() => null),
    api.get(tenantPath(state.membership, '/integrations/mattermost')).catch(() => null),
  ]);
  state.installation = installation;
  state.health = health;
  state.llm = llm?.llm ?? null;
  state.credential = credential.credential;
  state.tenant = tenant;
  state.runs = runs.items;
  const justInstalled = await progress.follow(installation);
  if (justInstalled) {
    fillSettings();
    announce('Install completed. You can now connect Mattermost.');
  }
  render();
  settleWatchedRun();
  poll.schedule();
}

function render() {
  const i = state.installation;
  renderFrameHead(state.ctx, i, { onUpgraded: () => refresh() });
  progress.render(i);
  renderChecklist();
  renderHealth();
  renderRun();
  renderRuns();
  connection.render({ installation: i, credential: state.credential, tenant: state.tenant });
  renderSettingsState();
  renderUninstall(state.ctx, i, { stops: UNINSTALL_STOPS, onRequested: () => refresh() });
}

function busyNow() {
  return ACTIVE_INSTALL.has(state.installation?.status) || state.runs.some((r) => ACTIVE_RUN.has(r.status)) || Boolean(state.watchingRun);
}

/**
 * Renders the page into `ctx.main`. Called by the core installation page for this package's installations.
 * @param {SectionContext} ctx
 */
export async function renderSection(ctx) {
  page.refresh = refresh;
  state.ctx = ctx;
  state.membership = ctx.membership;
  state.canManage = ctx.canManage;
  state.id = ctx.installation.id;
  connection = connectionCard(ctx, {
    resumes: 'the digest',
    onChanged: () => {
      state.channels = null; // a new connection: its channels are read again
      return refresh();
    },
  });
  progress = installProgress(ctx);
  replace(ctx.main, skeleton());
  await refresh();
  fillSettings();
}
