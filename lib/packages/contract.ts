// The package contract: what a package declares so the platform core can install, configure,
// upgrade and run it without naming it. A package lives in packages/<slug>/ and is listed once in
// packages/registry.ts. This file is pure (types and zod): lib/ code receives the catalogue of
// definitions by injection (lib/packages/catalog.ts) and never imports a package.
import type { z } from 'zod';
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
