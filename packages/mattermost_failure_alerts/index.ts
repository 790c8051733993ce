// The failure alerts package module: definition, activities, and the routes of its own section.
import type { PackageModule } from '../module';
import { createFailureAlertActivities } from './activities';
import { DEFAULT_FAILURE_ALERT_OPTIONS, type FailureAlertOptions } from './activities/options';
import { failureAlertsDefinition } from './definition';
import { FAILURE_ALERTS_API_OPERATIONS } from './openapi';
import { failureAlertsRouter } from './routes';

export function createFailureAlertsPackage(options: Partial<FailureAlertOptions> = {}): PackageModule {
  const settings = { ...DEFAULT_FAILURE_ALERT_OPTIONS, ...options };
  return {
    definition: failureAlertsDefinition,
    apiOperations: FAILURE_ALERTS_API_OPERATIONS,
    createActivities: (deps) => createFailureAlertActivities(deps, settings),
    // The page's status line follows the same settings as the worker's planning.
    routes: (deps) => failureAlertsRouter(deps, settings),
  };
}

export const failureAlertsPackage = createFailureAlertsPackage();
