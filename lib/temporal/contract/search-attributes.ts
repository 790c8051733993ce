// Custom search attributes every FleetPrompt workflow carries, so operators can find a
// tenant's installs and runs in the Temporal Web UI. Safe to import from workflow code.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Registered on the dev server at start (scripts/dev-stack/temporal.ts); a deployment registers them once. */
export const SEARCH_ATTRIBUTE_NAMES = ['TenantId', 'CorrelationId', 'InstallationId'] as const;

export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CorrelationIdKey = defineSearchAttributeKey('CorrelationId', SearchAttributeType.KEYWORD);
export const InstallationIdKey = defineSearchAttributeKey('InstallationId', SearchAttributeType.KEYWORD);
/** Set by the server on runs a Schedule starts: the nominal (scheduled) time of the firing. */
export const ScheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
