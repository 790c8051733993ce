// Turns any error a workflow sees from an activity into a failure kind and a message that is
// safe to store and show. Pure: imported by workflows as well as activities.
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { type FailureKind, isFailureKind } from '../errors/failure-kind';

export interface SafeFailure {
  kind: FailureKind;
  message: string;
}

function applicationCause(err: unknown): ApplicationFailure | undefined {
  let current: unknown = err;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof ApplicationFailure) return current;
    if (current instanceof ActivityFailure || current instanceof Error) current = (current as Error).cause;
    else break;
  }
  return undefined;
}

/** Only failures our own activities classified carry their message through; anything else is generic. */
export function toSafeFailure(err: unknown, fallback: string): SafeFailure {
  const app = applicationCause(err);
  if (app && isFailureKind(app.type)) return { kind: app.type, message: app.message };
  // A first refusal awaiting its confirming attempt (the digest package's activities/post-digest.ts).
  if (app && app.type === 'auth_unconfirmed') return { kind: 'auth', message: app.message };
  return { kind: 'unknown', message: fallback };
}
