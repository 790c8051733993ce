// digestRunWorkflow, branch by branch, on stubbed activities (time-skipping test server).
import { describeScenarios } from './support/describe-scenarios';
import { digestRunScenarios } from './scenarios/digest-run';

describeScenarios('digestRunWorkflow', digestRunScenarios);
