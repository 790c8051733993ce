// @ts-check
// The digest section's state, shared by its modules: what the page last read from the API, the
// context the core page handed over, and page.refresh (set by section.js) for the modules to
// re-read the page after an action.
import { tenantPath } from '../../../api.js';

export const ACTIVE_RUN = new Set(['pending', 'running']);
/** Where a cut digest's rest is (the post's pointer opens the full digest page). */
export const FULL_DIGEST_REST = 'The rest is in the full digest in FleetPrompt.';

/**
 * @typedef {import('../../../ui/types/api').Installation & { config: Record<string, any> }} Installation
 * @typedef {import('../../../ui/types/api').InstallationHealth} Health
 * @typedef {import('../../../ui/types/api').Credential} Credential
 * @typedef {import('../../../ui/types/api').Execution} Execution
 * @typedef {import('../../../installation/frame.js').SectionContext} SectionContext
 */

/** @type {{ ctx: SectionContext, membership: any, canManage: boolean, id: string, installation: Installation | null, health: Health | null, credential: Credential | null, tenant: any, channels: any, runs: Execution[], watchingRun: string | null, openMessages: Set<string>, llm?: any }} */
export const state = {
  ctx: null,
  membership: null,
  canManage: false,
  id: '',
  installation: null,
  health: null,
  llm: null, // GET …/llm: provider availability (or why not) and spend against the budget
  credential: null,
  tenant: null, // GET …/integrations/mattermost: the organisation's connection and what is bound to it
  channels: null, // the channel picker: { key, list?, team?, error? } for the current token connection
  runs: [],
  watchingRun: null, // execution id started from this page
  openMessages: new Set(), // runs whose digest row is open
};

export const path = (rest = '') => tenantPath(state.membership, `/installations/${state.id}${rest}`);

/** Re-reads and re-renders the page (section.js sets it). */
export const page = { refresh: async () => {} };

/** The token's Mattermost user (PAT connections), from the credential's masked metadata. */
export const tokenUserOf = (c) => (typeof c?.metadata?.username === 'string' ? c.metadata.username : null);
