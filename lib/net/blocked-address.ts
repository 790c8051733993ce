// Which resolved addresses a user-supplied URL may not reach. A server that POSTs to URLs typed
// by tenants must not become a proxy into its own network (SSRF), so anything that is not a
// public unicast address is refused unless an operator allow-lists the host.
import { inPrefix, parseIPv4, parseIPv6 } from './ip-address';

export type BlockedAddressReason =
  'metadata' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'carrier-grade-nat' | 'this-network' | 'multicast' | 'reserved' | 'unparseable';

type Rule = { network: Uint8Array; prefix: number; reason: BlockedAddressReason };

const v4 = (text: string, prefix: number, reason: BlockedAddressReason): Rule => ({
  network: parseIPv4(text)!,
  prefix,
  reason,
});
const v6 = (text: string, prefix: number, reason: BlockedAddressReason): Rule => ({
  network: parseIPv6(text)!,
  prefix,
  reason,
});

// Order matters: the first match names the reason (metadata before link-local).
const IPV4_RULES: Rule[] = [
  v4('169.254.169.254', 32, 'metadata'), // AWS/GCP/Azure instance metadata
  v4('0.0.0.0', 8, 'this-network'),
  v4('10.0.0.0', 8, 'private'),
  v4('100.64.0.0', 10, 'carrier-grade-nat'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.0.0', 16, 'link-local'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.0.0.0', 24, 'reserved'), // IETF protocol assignments (incl. 192.0.0.192, a cloud metadata address)
  v4('192.0.2.0', 24, 'reserved'), // documentation
  v4('192.88.99.0', 24, 'reserved'), // deprecated 6to4 relay anycast
  v4('192.168.0.0', 16, 'private'),
  v4('198.18.0.0', 15, 'reserved'), // benchmarking
  v4('198.51.100.0', 24, 'reserved'), // documentation
  v4('203.0.113.0', 24, 'reserved'), // documentation
  v4('224.0.0.0', 4, 'multicast'),
  v4('240.0.0.0', 4, 'reserved'), // future use and 255.255.255.255 broadcast
];

const IPV6_RULES: Rule[] = [
  v6('fd00:ec2::254', 128, 'metadata'), // AWS IMDS over IPv6
  v6('::', 128, 'this-network'),
  v6('::1', 128, 'loopback'),
  v6('64:ff9b:1::', 48, 'reserved'), // local-use NAT64
  v6('100::', 64, 'reserved'), // discard-only
  v6('2001::', 32, 'reserved'), // Teredo: tunnels to arbitrary IPv4 peers
  v6('2001:db8::', 32, 'reserved'), // documentation
  v6('fc00::', 7, 'unique-local'),
  v6('fe80::', 10, 'link-local'),
  v6('fec0::', 10, 'private'), // deprecated site-local
  v6('ff00::', 8, 'multicast'),
];

// IPv6 forms that carry an IPv4 address inside; the embedded address decides.
const MAPPED = parseIPv6('::ffff:0:0')!; // ::ffff:0:0/96
const NAT64 = parseIPv6('64:ff9b::')!; // 64:ff9b::/96
const SIX_TO_FOUR = parseIPv6('2002::')!; // 2002::/16, IPv4 in bytes 2..5
const ZERO = new Uint8Array(16); // ::/96 (deprecated IPv4-compatible), the rest of ::/8 reserved

function classifyV4(bytes: Uint8Array): BlockedAddressReason | null {
  for (const rule of IPV4_RULES) if (inPrefix(bytes, rule.network, rule.prefix)) return rule.reason;
  return null;
}

function classifyV6(bytes: Uint8Array): BlockedAddressReason | null {
  for (const rule of IPV6_RULES) if (inPrefix(bytes, rule.network, rule.prefix)) return rule.reason;
  if (inPrefix(bytes, MAPPED, 96) || inPrefix(bytes, NAT64, 96)) return classifyV4(bytes.slice(12, 16));
  if (inPrefix(bytes, SIX_TO_FOUR, 16)) return classifyV4(bytes.slice(2, 6));
  if (inPrefix(bytes, ZERO, 96)) return classifyV4(bytes.slice(12, 16)) ?? 'reserved';
  if (inPrefix(bytes, ZERO, 8)) return 'reserved';
  return null;
}

/**
 * Why an address must not be contacted, or null when it is a public unicast address.
 * Anything that does not parse as an IP address is refused ('unparseable').
 */
export function classifyAddress(address: string): BlockedAddressReason | null {
  const four = parseIPv4(address);
  if (four) return classifyV4(four);
  const six = parseIPv6(address);
  if (six) return classifyV6(six);
  return 'unparseable';
}

export function describeBlockedReason(reason: BlockedAddressReason): string {
  switch (reason) {
    case 'metadata':
      return 'a cloud metadata address';
    case 'loopback':
      return 'a loopback address';
    case 'private':
      return 'a private network address';
    case 'link-local':
      return 'a link-local address';
    case 'unique-local':
      return 'a unique-local IPv6 address';
    case 'carrier-grade-nat':
      return 'a carrier-grade NAT address (100.64.0.0/10)';
    case 'this-network':
      return 'an unspecified address (0.0.0.0/8 or ::)';
    case 'multicast':
      return 'a multicast address';
    case 'reserved':
      return 'a reserved address';
    case 'unparseable':
      return 'an address that could not be parsed';
  }
}
