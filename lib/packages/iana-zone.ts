// An IANA zone is valid when this Node's ICU data knows it (the same data that formats digests).
const SUPPORTED = new Set<string>(Intl.supportedValuesOf('timeZone'));

export function isValidIanaZone(zone: string): boolean {
  if (zone === 'UTC' || SUPPORTED.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/');
  } catch {
    return false;
  }
}
