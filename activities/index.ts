// All activities, built from injected dependencies. Workflows proxy the type only.
import type { ActivityDeps } from './deps';
import { createDirectiveActivities } from './directives/directive-activities';
import { createPurgeSignals } from './retention/purge-signals';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createDirectiveActivities(deps),
    purgeSignals: createPurgeSignals(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
