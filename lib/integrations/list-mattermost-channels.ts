// The channel picker's list: the public channels the connection's token user can post to, in the
// connection's team. Read with the stored token (decrypted here, scrubbed from any error text);
// Mattermost's answer is evidence about the token (credential-evidence.ts): a 401 counts as one
// refusal, a good answer as an acceptance.
import type { Keyring } from '../crypto/keyring';
import type { Db } from '../db/client';
import { withTenant } from '../db/with-tenant';
import { AppError } from '../errors/app-error';
import { recordAccepted, recordRefusal, refusalCode } from '../credentials/credential-evidence';
import { failureHint } from '../credentials/failure-hints';
import { loadCredentialSecret } from '../credentials/load-credential';
import { secretValues } from '../credentials/credential-secret';
import { isMattermostError, type MattermostClient, type PostableChannels } from '../mattermost';
import { runWithSecretScope } from '../secrets/secret-scope';

export interface ListChannelsDeps {
  db: Db;
  keyring: Keyring;
  mattermost: MattermostClient;
}

function refused(err: unknown): AppError {
  if (isMattermostError(err)) {
    const details = { kind: err.kind, mattermost_code: err.code, status: err.status ?? null, hint: failureHint(err.kind, err.code) };
    if (err.kind === 'network' || err.kind === 'rate_limit') {
      return new AppError('DEPENDENCY_UNAVAILABLE', `Mattermost did not answer the channel list: ${err.message}`, { details });
    }
    return new AppError('CREDENTIAL_REJECTED', `Mattermost did not list the channels: ${err.message}`, { details });
  }
  return new AppError('DEPENDENCY_UNAVAILABLE', 'The channel list could not be read from Mattermost. Try again in a moment.');
}

export async function listMattermostChannels(deps: ListChannelsDeps, input: { tenantId: string; credentialId: string | null }): Promise<PostableChannels> {
  const { tenantId, credentialId } = input;
  if (!credentialId) throw new AppError('NOT_CONFIGURED', 'Mattermost is not connected. Connect it first, then pick a channel.');
  const { row, secret } = await withTenant(deps.db, tenantId, (tx) => loadCredentialSecret(tx, deps.keyring, credentialId));
  if (secret.kind === 'webhook') {
    throw new AppError(
      'CHANNELS_NOT_LISTABLE',
      'This connection is an incoming webhook: it posts to its own channel, and Mattermost gives a webhook no list of channels. Type a channel name to override it, or connect with a token to pick from a list.',
    );
  }
  if (!secret.team) {
    throw new AppError(
      'CHANNELS_NOT_LISTABLE',
      'This token connection names no team, and a token posts only in the team it was connected with. Reconnect with the team’s URL name (e.g. ops).',
    );
  }
  try {
    const list = await runWithSecretScope(() => deps.mattermost.listPostableChannels(secret.base_url, secret.token, secret.team!), secretValues(secret));
    await withTenant(deps.db, tenantId, (tx) => recordAccepted(tx, { credentialId: row.id }));
    return list;
  } catch (err) {
    const code = isMattermostError(err) ? refusalCode(err) : null;
    if (code) await withTenant(deps.db, tenantId, (tx) => recordRefusal(tx, { tenantId, credentialId: row.id, code }));
    throw refused(err);
  }
}
