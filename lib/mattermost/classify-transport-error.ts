// Turns a failure below HTTP (URL refused by the guard, DNS, connect, timeout, dropped
// connection) into a MattermostError. The key question for posting: was the request fully sent?
// Before that, retrying is safe; after it, the post may exist (outcome unknown).
import { OutboundBlockedError, OutboundRequestError } from '../net/outbound-errors';
import type { MattermostOperation } from './classify-response';
import { MattermostError, isMattermostError } from './mattermost-error';

export function classifyTransportError(err: unknown, operation: MattermostOperation): MattermostError {
  if (isMattermostError(err)) return err;
  const mayHavePosted = operation !== 'read';

  if (err instanceof OutboundBlockedError) {
    // The guard's messages name only scheme + host and say what to fix.
    switch (err.code) {
      case 'DNS_FAILED':
        return new MattermostError({ kind: 'network', code: 'DNS_FAILED', message: err.message, retryable: true });
      case 'URL_INVALID':
        return new MattermostError({ kind: 'validation', code: 'URL_INVALID', message: err.message });
      case 'URL_SCHEME_NOT_ALLOWED':
      case 'URL_HOST_NOT_ALLOWED':
        return new MattermostError({ kind: 'validation', code: 'URL_NOT_ALLOWED', message: err.message });
    }
  }

  if (err instanceof OutboundRequestError) {
    if (err.code === 'REQUEST_INVALID') {
      return new MattermostError({ kind: 'validation', code: 'BAD_REQUEST', message: err.message });
    }
    if (!err.requestSent) {
      return new MattermostError({
        kind: 'network',
        code: err.code === 'TIMEOUT' ? 'TIMEOUT' : 'CONNECT_FAILED',
        message: err.message,
        retryable: true,
      });
    }
    // Sent, no complete answer. A read can simply be repeated; a post may exist.
    const outcomeUnknown = mayHavePosted && err.outcomeUnknown;
    return new MattermostError({
      kind: 'network',
      code: err.code === 'TIMEOUT' ? 'TIMEOUT' : 'CONNECTION_LOST',
      message: err.message,
      outcomeUnknown,
      retryable: !outcomeUnknown,
    });
  }

  // Anything else is a bug or an unexpected runtime error; its message is not ours to copy.
  return new MattermostError({
    kind: 'unknown',
    code: 'UNEXPECTED_RESPONSE',
    message: 'An unexpected error occurred while calling Mattermost.',
    outcomeUnknown: mayHavePosted,
  });
}
