// Reads the AppError JSON body Mattermost returns on handler errors ({id, message,
// detailed_error, request_id, status_code}). Only `id` is kept, and only when it has the dotted
// shape Mattermost ids have (a hook id, 26 bare characters, can never pass): `message` is
// translated and, on newer servers, contains the webhook id, so it is never read.

const ERROR_ID = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/i;

export function parseAppErrorId(body: string): string | undefined {
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const id = (parsed as Record<string, unknown>).id;
  return typeof id === 'string' && id.length <= 128 && ERROR_ID.test(id) ? id : undefined;
}

/**
 * True when the body is Mattermost's own AppError JSON for this very status (its handler wrote
 * it: `status_code` equals the HTTP status). A proxy's 500/502/504 page never is.
 */
export function isOwnAppError(body: string, status: number): boolean {
  if (!parseAppErrorId(body)) return false;
  try {
    return (JSON.parse(body.trimStart()) as Record<string, unknown>).status_code === status;
  } catch {
    return false;
  }
}
