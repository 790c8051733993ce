import { classifyTransportError } from '../../../lib/mattermost/classify-transport-error';
import { OutboundBlockedError, OutboundRequestError } from '../../../lib/net/outbound-errors';

describe('classifyTransportError', () => {
  it.each([
    [
      'blocked host',
      new OutboundBlockedError('URL_HOST_NOT_ALLOWED', 'x'),
      'webhook',
      { kind: 'validation', code: 'URL_NOT_ALLOWED', retryable: false, outcomeUnknown: false },
    ],
    ['bad scheme', new OutboundBlockedError('URL_SCHEME_NOT_ALLOWED', 'x'), 'webhook', { kind: 'validation', code: 'URL_NOT_ALLOWED', retryable: false }],
    ['invalid URL', new OutboundBlockedError('URL_INVALID', 'x'), 'read', { kind: 'validation', code: 'URL_INVALID' }],
    ['DNS failure', new OutboundBlockedError('DNS_FAILED', 'x'), 'webhook', { kind: 'network', code: 'DNS_FAILED', retryable: true, outcomeUnknown: false }],
    [
      'refused',
      new OutboundRequestError('CONNECT_FAILED', 'x', false, false),
      'webhook',
      { kind: 'network', code: 'CONNECT_FAILED', retryable: true, outcomeUnknown: false },
    ],
    [
      'TLS',
      new OutboundRequestError('TLS_FAILED', 'x', false, false),
      'create_post',
      { kind: 'network', code: 'CONNECT_FAILED', retryable: true, outcomeUnknown: false },
    ],
    [
      'timeout before send',
      new OutboundRequestError('TIMEOUT', 'x', false, false),
      'webhook',
      { kind: 'network', code: 'TIMEOUT', retryable: true, outcomeUnknown: false },
    ],
    [
      'timeout after send',
      new OutboundRequestError('TIMEOUT', 'x', true, true),
      'webhook',
      { kind: 'network', code: 'TIMEOUT', retryable: false, outcomeUnknown: true },
    ],
    [
      'reset after send',
      new OutboundRequestError('CONNECTION_LOST', 'x', true, true),
      'create_post',
      { kind: 'network', code: 'CONNECTION_LOST', retryable: false, outcomeUnknown: true },
    ],
    [
      'reset after send, read',
      new OutboundRequestError('CONNECTION_LOST', 'x', true, true),
      'read',
      { kind: 'network', code: 'CONNECTION_LOST', retryable: true, outcomeUnknown: false },
    ],
    ['header refused locally', new OutboundRequestError('REQUEST_INVALID', 'x', false, false), 'read', { kind: 'validation', code: 'BAD_REQUEST' }],
  ] as const)('%s', (_name, err, op, expected) => {
    expect(classifyTransportError(err, op)).toMatchObject(expected);
  });

  it('never copies the message of an unexpected error', () => {
    const err = classifyTransportError(new Error('boom https://mm.example.com/hooks/secretsecretsecret'), 'webhook');
    expect(err).toMatchObject({ kind: 'unknown', outcomeUnknown: true, retryable: false });
    expect(err.message).not.toContain('secret');
  });
});
