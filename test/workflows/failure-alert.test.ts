// The failure alerts' failureAlertWorkflow, branch by branch, on stubbed activities (time-skipping test server).
import { describeScenarios } from './support/describe-scenarios';
import { failureAlertScenarios } from './scenarios/failure-alert';

describeScenarios('failureAlertWorkflow', failureAlertScenarios);
