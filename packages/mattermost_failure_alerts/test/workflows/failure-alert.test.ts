// The failure alerts' failureAlertWorkflow, branch by branch, on stubbed activities (time-skipping test server).
import { describeScenarios } from '../../../../test/workflows/support/describe-scenarios';
import { scenarios } from './scenarios';

describeScenarios('failureAlertWorkflow', scenarios);
