// Every workflow's branches: what the workflow tests run and the recorder stores.
import type { Scenario } from '../support/scenario';
import { digestRunScenarios } from './digest-run';
import { failureAlertScenarios } from './failure-alert';
import { packageDirectiveScenarios } from './package-directive';
import { signalRetentionScenarios } from './signal-retention';

export const allScenarios: Scenario[] = [...digestRunScenarios, ...packageDirectiveScenarios, ...signalRetentionScenarios, ...failureAlertScenarios];
