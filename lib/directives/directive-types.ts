// Directive types and their lifecycle signals: one table instead of string building.
import { SIGNAL_TYPES, type SignalType } from '../signals/catalogue';

export const DIRECTIVE_TYPES = ['package.install', 'package.uninstall', 'package.upgrade'] as const;
export type DirectiveType = (typeof DIRECTIVE_TYPES)[number];

export interface LifecycleSignals {
  requested: SignalType;
  started: SignalType;
  completed: SignalType;
  failed: SignalType;
}

export const PACKAGE_LIFECYCLE: Record<DirectiveType, LifecycleSignals> = {
  'package.install': {
    requested: SIGNAL_TYPES.packageInstallRequested,
    started: SIGNAL_TYPES.packageInstallStarted,
    completed: SIGNAL_TYPES.packageInstallCompleted,
    failed: SIGNAL_TYPES.packageInstallFailed,
  },
  'package.uninstall': {
    requested: SIGNAL_TYPES.packageUninstallRequested,
    started: SIGNAL_TYPES.packageUninstallStarted,
    completed: SIGNAL_TYPES.packageUninstallCompleted,
    failed: SIGNAL_TYPES.packageUninstallFailed,
  },
  'package.upgrade': {
    requested: SIGNAL_TYPES.packageUpgradeRequested,
    started: SIGNAL_TYPES.packageUpgradeStarted,
    completed: SIGNAL_TYPES.packageUpgradeCompleted,
    failed: SIGNAL_TYPES.packageUpgradeFailed,
  },
};

export const DIRECTIVE_LIFECYCLE: LifecycleSignals = {
  requested: SIGNAL_TYPES.directiveRequested,
  started: SIGNAL_TYPES.directiveStarted,
  completed: SIGNAL_TYPES.directiveCompleted,
  failed: SIGNAL_TYPES.directiveFailed,
};

export function isDirectiveType(value: string): value is DirectiveType {
  return (DIRECTIVE_TYPES as readonly string[]).includes(value);
}
