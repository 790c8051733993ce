// The digest's digestRunWorkflow, branch by branch, on stubbed activities (time-skipping test server).
import { describeScenarios } from '../../../../test/workflows/support/describe-scenarios';
import { digestRunScenarios } from './scenarios';

describeScenarios('digestRunWorkflow', digestRunScenarios);
