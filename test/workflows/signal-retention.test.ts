// signalRetentionWorkflow, branch by branch, on stubbed activities (time-skipping test server).
import { describeScenarios } from './support/describe-scenarios';
import { signalRetentionScenarios } from './scenarios/signal-retention';

describeScenarios('signalRetentionWorkflow', signalRetentionScenarios);
