// The package contract: what a package declares so the platform core can install, configure,
// upgrade and run it without naming it. A package lives in packages/<slug>/ and is listed once in
// packages/registry.ts. This file is pure (types and zod): lib/ code receives the catalogue of
// definitions by injection (lib/packages/catalog.ts) and never imports a package.
import type { ScheduleSpec } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { z } from 'zod';
import type { Tx } from '../db/with-tenant';
import type { SignalType } from '../signals/catalogue';

export interface PackageTemplate {
  key: string;
  name: string;
  description: string;
}

/** An integration the package needs a tenant to connect (one Mattermost workspace per tenant). */
export interface RequiredIntegration {
  provider: 'mattermost';
  kinds: ('webhook' | 'pat')[];
  actions: string[];
  /** Why the package needs it, shown in the marketplace. */
  purpose: string;
}

/** A config object read from storage or a request: field name → JSON value. */
export type ConfigRecord = Record<string, unknown>;

/** Turns a config valid for one version into one valid for another. Pure; must not lose fields it keeps. */
export type ConfigMigration = (config: ConfigRecord) => ConfigRecord;

export interface PackageVersionDefinition {
  version: string;
  /** What changed in this version, newest line first; shown as "update available". */
  changelog: string[];
  /**
   * The whole config of this version: a strict zod object in which every optional setting has
   * a `.default()`. The manifest's JSON Schema is generated from it (z.toJSONSchema), and its
   * defaults are the installation defaults, so the three can never disagree.
   */
  configSchema: z.ZodObject;
  provides: { workflow_templates: PackageTemplate[]; agent_templates: PackageTemplate[] };
  /** Signal types (or `prefix.*`) the package reads. */
  consumes: string[];
  /** Signal types the package writes (all in the catalogue). */
  emits: SignalType[];
  requiredIntegrations: RequiredIntegration[];
  /** Declared config migrations *into* this version, by source version. Upgrades need one. */
  migrations?: Record<string, ConfigMigration>;
}

export interface PackageIdentity {
  slug: string;
  name: string;
  description: string;
  category: string;
  publisher: string;
}

/**
 * A package as the core sees it. Every hook is optional; the core calls it through the
 * catalogue with the installation's parsed config.
 */
export interface PackageDefinition {
  identity: PackageIdentity;
  /** Oldest first. */
  versions: PackageVersionDefinition[];
  /** The Mattermost channel the package posts to (used to verify a connection), if any. */
  mattermostChannel?(config: ConfigRecord): string | null;
  /**
   * Signals that wake the package's event-driven workflow (signal-with-start, see
   * lib/packages/signal-triggers.ts). The core delivers a notice after the signals commit.
   */
  signalTrigger?: SignalTrigger;
  /**
   * A Temporal Schedule per installation (lib/temporal/installation-schedule.ts): the reconciler
   * keeps one while the installation is installed, bound to a usable connection and this hook
   * wants one. A package without it gets none.
   */
  schedule?: PackageSchedule;
  /** The browser module that renders the package's section of the installation page (under ui/assets). */
  uiSection?: string;
}

export interface SignalTrigger {
  types: readonly SignalType[];
  workflowType: string;
  /** The per-installation workflow id (its business key). */
  workflowId(input: { tenantId: string; installationId: string }): string;
  signalName: string;
  /** Whether this installation wants these signals (its filters); pure. */
  wants?(config: ConfigRecord, signal: { type: string; source: string }): boolean;
}

/** What a package's schedule hook says its config asks for. */
export interface WantedSchedule {
  /**
   * Names the schedule: an equal key is the same schedule, in effect since it was first wanted
   * (installations.schedule_effective_since); shown in the change record, e.g. "07:30 Europe/Berlin".
   */
  key: string;
}

/** The installation a Schedule belongs to. */
export interface ScheduleTarget {
  tenantId: string;
  installationId: string;
  tenantSlug?: string;
}

/** What Temporal is given for a wanted schedule; the core adds the task queue, search attributes, memo and the overlap policy (SKIP). */
export interface PackageScheduleOptions {
  spec: ScheduleSpec;
  /** How far back a firing missed while the system was down still runs (a Temporal duration, e.g. "2 hours"). */
  catchupWindow: Duration;
  /** The Schedule's note (shown in Temporal's UI). */
  note: string;
  action: { workflowType: string; workflowId: string; args: unknown[]; staticSummary: string };
}

/**
 * The schedule hook. Pure except `postingFirings`, which may read the package's own history in
 * the tenant's transaction. Methods (not function properties), so a package's hook can name its
 * own WantedSchedule.
 */
export interface PackageSchedule<W extends WantedSchedule = WantedSchedule> {
  /** The schedule the stored config asks for (missing settings from their defaults), or null: none (e.g. turned off). Throws for a malformed config. */
  wanted(config: ConfigRecord): W | null;
  /** The Temporal Schedule's id (its business key; never change it for existing installations). */
  scheduleId(installationId: string): string;
  options(wanted: W, target: ScheduleTarget): PackageScheduleOptions;
  /**
   * Of Temporal's next action times, the ones that will actually run under the package's rules
   * (what the status page announces); absent: all of them. `scheduleTime`/`timezone` are read
   * from the Schedule Temporal holds.
   */
  postingFirings?(tx: Tx, input: PostingFiringsInput): Promise<Date[]>;
}

export interface PostingFiringsInput {
  installationId: string;
  nextActionTimes: Date[];
  /** The Schedule's first calendar entry as "HH:MM" and its zone, as Temporal holds them (null: none). */
  scheduleTime: string | null;
  timezone: string | null;
  /** Since when the schedule with this key has been wanted (null: always). */
  effectiveSince: Date | null;
}
