// packageDirectiveWorkflow, branch by branch, on stubbed activities (time-skipping test server).
import type { Scenario } from './support/scenario';
import { describeScenarios } from './support/describe-scenarios';
import { packageDirectiveScenarios } from './scenarios/package-directive';

describeScenarios('packageDirectiveWorkflow', packageDirectiveScenarios as unknown as Scenario[]);
