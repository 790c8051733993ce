// All activities, built from injected dependencies. Workflows proxy the type only.
import type { ActivityDeps } from './deps';
import { createDirectiveActivities } from './directives/directive-activities';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createDirectiveActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
