// packageDirectiveWorkflow, branch by branch, on stubbed activities (time-skipping test server).
import { describeScenarios } from './support/describe-scenarios';
import { packageDirectiveScenarios } from './scenarios/package-directive';

describeScenarios('packageDirectiveWorkflow', packageDirectiveScenarios);
