// Settings of the failure-alert activities that are not part of an installation's config.
export interface FailureAlertOptions {
  /**
   * The window is cut this far behind the database clock, so a signal whose transaction began
   * just before the cut but committed just after it still falls into a later window (signals are
   * stamped with their transaction's start). Also the least delay of an alert.
   */
  commitGraceMs: number;
  /** Tests only: replaces the configured 2–30 minute window (0 = post as soon as a failure is in). */
  windowOverrideMs?: number;
}

export const DEFAULT_FAILURE_ALERT_OPTIONS: FailureAlertOptions = { commitGraceMs: 1_000 };
