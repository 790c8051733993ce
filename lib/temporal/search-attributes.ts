// Custom search attributes every FleetPrompt workflow carries, so operators can find a
// tenant's installs and runs in the Temporal Web UI. Safe to import from workflow code.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SEARCH_ATTRIBUTE_NAMES = ['TenantId', 'CorrelationId', 'InstallationId'] as const;

export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CorrelationIdKey = defineSearchAttributeKey('CorrelationId', SearchAttributeType.KEYWORD);
export const InstallationIdKey = defineSearchAttributeKey('InstallationId', SearchAttributeType.KEYWORD);
export const ScheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
