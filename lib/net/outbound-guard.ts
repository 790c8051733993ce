// SSRF guard for URLs that users give us and the server then calls (webhook URLs, Mattermost
// base URLs). It resolves the host once, refuses non-public addresses unless the host is
// allow-listed, and returns the checked address so the caller connects to exactly that address
// (no second DNS lookup an attacker could answer differently: DNS rebinding).
import { lookup as dnsLookup } from 'node:dns/promises';
import { classifyAddress, describeBlockedReason } from './blocked-address';
import { OutboundBlockedError } from './outbound-errors';
import { effectivePort, urlOrigin } from './url-origin';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. Injectable for tests. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundGuardOptions {
  /**
   * Hosts that may resolve to private/loopback addresses (local development, an on-premise
   * Mattermost). Entries are "hostname" (any port) or "hostname:port"; IPv6 as "[::1]:8065".
   */
  allowedHosts: readonly string[];
  resolve?: HostResolver;
}

export interface SafeOutboundTarget {
  url: URL;
  /** scheme://host[:port]: the part of the URL that is safe to show. */
  origin: string;
  /** Host name without IPv6 brackets, for the TLS server name and Host header. */
  hostname: string;
  port: number;
  /** The checked address the connection must go to. */
  address: string;
  family: 4 | 6;
  allowListed: boolean;
}

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

export const defaultResolver: HostResolver = async (hostname) => {
  const results = await dnsLookup(hostname, { all: true, verbatim: true });
  return results.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
};

export function isAllowListed(url: URL, allowedHosts: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const port = effectivePort(url);
  const candidates = new Set([host, bare, `${host}:${port}`, `[${bare}]:${port}`]);
  return allowedHosts.some((entry) =>
    candidates.has(
      entry
        .trim()
        .toLowerCase()
        .replace(/\.(?=:|$)/, ''),
    ),
  );
}

function parseUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    // Never echo the input: it may be a webhook URL with its key.
    throw new OutboundBlockedError('URL_INVALID', 'The URL is not valid. Enter a full URL that starts with https:// (or http://).');
  }
}

/**
 * Checks a user-supplied URL before the server calls it. Throws OutboundBlockedError with a
 * stable code; on success returns the address that was checked, to be used for the connection.
 */
export async function assertSafeOutboundUrl(rawUrl: string, options: OutboundGuardOptions): Promise<SafeOutboundTarget> {
  const url = parseUrl(rawUrl);
  if (!ALLOWED_SCHEMES.has(url.protocol)) {
    throw new OutboundBlockedError(
      'URL_SCHEME_NOT_ALLOWED',
      `Only http:// and https:// URLs can be used, not ${url.protocol}//. Enter a URL that starts with https://.`,
    );
  }
  const origin = urlOrigin(url);
  if (url.username || url.password) {
    throw new OutboundBlockedError('URL_INVALID', `The URL for ${origin} contains a user name or password; remove the "user:password@" part.`, origin);
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!hostname) {
    throw new OutboundBlockedError('URL_INVALID', 'The URL has no host name.', origin);
  }

  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.resolve ?? defaultResolver)(hostname);
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException | null)?.code;
    const detail = typeof errno === 'string' && /^[A-Z0-9_]+$/.test(errno) ? ` (${errno})` : '';
    throw new OutboundBlockedError(
      'DNS_FAILED',
      `Could not resolve the host of ${origin}${detail}. Check the host name for typos and that it is reachable from the server.`,
      origin,
    );
  }
  if (addresses.length === 0) {
    throw new OutboundBlockedError('DNS_FAILED', `The host of ${origin} has no addresses.`, origin);
  }

  const allowListed = isAllowListed(url, options.allowedHosts);
  if (!allowListed) {
    // Every address must be public: a host answering with one public and one private record
    // could otherwise steer the connection inward.
    for (const candidate of addresses) {
      const reason = classifyAddress(candidate.address);
      if (reason) {
        throw new OutboundBlockedError(
          'URL_HOST_NOT_ALLOWED',
          `${origin} resolves to ${describeBlockedReason(reason)}, which the server will not call. ` +
            'Use the public address of your Mattermost server, or ask an operator to add this host to the outbound allow-list.',
          origin,
        );
      }
    }
  }

  const chosen = addresses[0];
  return { url, origin, hostname, port: effectivePort(url), address: chosen.address, family: chosen.family, allowListed };
}
