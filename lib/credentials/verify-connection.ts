// Verifying a Mattermost secret before it is stored (webhook: a test post or a dry run; token:
// GET /users/me and, given a channel, that its user is a member). A secret that fails is never
// stored: the working one, if any, stays in place.
import type { Keyring } from '../crypto/keyring';
import type { Db } from '../db/client';
import { AppError } from '../errors/app-error';
import { assertWebhookUrlShape, isMattermostError, type MattermostClient } from '../mattermost';
import { assertSafeOutboundUrl } from '../net/outbound-guard';
import { OutboundBlockedError } from '../net/outbound-errors';
import type { TCredentialSecret } from './credential-secret';
import { failureHint } from './failure-hints';

export interface CredentialDeps {
  db: Db;
  keyring: Keyring;
  mattermost: MattermostClient;
  allowedHosts: readonly string[];
}

export type ConnectInput =
  { kind: 'webhook'; webhook_url: string; verify: 'test_post' | 'dry_run' } | { kind: 'pat'; base_url: string; token: string; team?: string | null };

/** Prisma's Bytes fields want a Uint8Array over a plain ArrayBuffer. */
export function bytes(buffer: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer);
}

/** What is encrypted for a connect request (trimmed; a token's base URL without trailing slashes). */
export function secretOf(connect: ConnectInput): TCredentialSecret {
  return connect.kind === 'webhook'
    ? { kind: 'webhook', webhook_url: connect.webhook_url.trim() }
    : { kind: 'pat', base_url: connect.base_url.trim().replace(/\/+$/, ''), token: connect.token.trim(), team: connect.team ?? null };
}

function rejected(err: unknown): AppError {
  if (isMattermostError(err)) {
    return new AppError('CREDENTIAL_REJECTED', `Mattermost did not accept the connection: ${err.message}`, {
      details: { kind: err.kind, mattermost_code: err.code, status: err.status ?? null, hint: failureHint(err.kind, err.code) },
    });
  }
  if (err instanceof OutboundBlockedError || (err instanceof Error && err.name === 'OutboundBlockedError')) {
    // Same codes as classifyTransportError gives the test_post path for the same guard error.
    const blocked = (err as OutboundBlockedError).code;
    const code = blocked === 'DNS_FAILED' || blocked === 'URL_INVALID' ? blocked : 'URL_NOT_ALLOWED';
    return new AppError('CREDENTIAL_REJECTED', (err as Error).message, {
      details: { kind: 'validation', mattermost_code: code, hint: failureHint('validation', code) },
    });
  }
  return new AppError('CREDENTIAL_REJECTED', 'The connection could not be verified.', { details: { kind: 'unknown', hint: failureHint('unknown') } });
}

/** Verifies a secret with Mattermost (webhook: test post or dry run; token: /users/me and the channel, if any). */
export async function verifyConnection(
  deps: CredentialDeps,
  secret: TCredentialSecret,
  input: ConnectInput,
  channel: string | null,
): Promise<Record<string, string | null>> {
  try {
    if (secret.kind === 'webhook') {
      assertWebhookUrlShape(secret.webhook_url);
      if (input.kind === 'webhook' && input.verify === 'dry_run') {
        await assertSafeOutboundUrl(secret.webhook_url, { allowedHosts: deps.allowedHosts });
        return { verified_by: 'dry_run' };
      }
      await deps.mattermost.verifyWebhook({ kind: 'webhook', webhookUrl: secret.webhook_url }, { channel });
      return { verified_by: 'test_post' };
    }
    const user = await deps.mattermost.verifyToken(secret.base_url, secret.token);
    if (secret.team && channel) {
      // A team member can look up a public channel without being in it, but only members may
      // post: check membership, so a token that cannot post is refused here, not at 07:30.
      const channelId = await deps.mattermost.resolveChannelId(secret.base_url, secret.token, secret.team, channel);
      await deps.mattermost.verifyChannelMember(secret.base_url, secret.token, channelId);
      return { verified_by: 'users_me+channel_member', username: user.username };
    }
    return { verified_by: 'users_me', username: user.username };
  } catch (err) {
    throw rejected(err);
  }
}
