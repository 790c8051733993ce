import type { ActivityDeps } from '../../../activities/deps';
import { createFinishFailureAlert } from './finish-alert';
import { createOpenFailureAlert } from './open-alert';
import { DEFAULT_FAILURE_ALERT_OPTIONS, type FailureAlertOptions } from './options';
import { createPlanFailureAlert } from './plan-alert';
import { createPostFailureAlert } from './post-alert';

export function createFailureAlertActivities(deps: ActivityDeps, options: FailureAlertOptions = DEFAULT_FAILURE_ALERT_OPTIONS) {
  return {
    planFailureAlert: createPlanFailureAlert(deps, options),
    openFailureAlert: createOpenFailureAlert(deps, options),
    postFailureAlert: createPostFailureAlert(deps),
    finishFailureAlert: createFinishFailureAlert(deps),
  };
}

export type FailureAlertActivities = ReturnType<typeof createFailureAlertActivities>;
