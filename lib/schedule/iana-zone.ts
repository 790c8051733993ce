// Is this an IANA time-zone name the Temporal server will also accept? Intl is lenient about
// case ("europe/berlin") where the server's tz database is not, so a miscased name is refused.

const canonicalLower = new Map<string, string>();
for (const zone of Intl.supportedValuesOf('timeZone')) canonicalLower.set(zone.toLowerCase(), zone);

// Constructing a DateTimeFormat costs ~0.1 ms; answers are cached (bounded: input is untrusted).
const verdicts = new Map<string, boolean>();

export function isValidIanaZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  const cached = verdicts.get(zone);
  if (cached !== undefined) return cached;
  const verdict = check(zone);
  if (verdicts.size >= 1000) verdicts.clear();
  verdicts.set(zone, verdict);
  return verdict;
}

function check(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  // Canonical names must match exactly; aliases ICU does not list (Asia/Kolkata, America/Nuuk)
  // must at least look like tz names: segments start upper-case, long words are not all caps.
  const canonical = canonicalLower.get(zone.toLowerCase());
  if (canonical !== undefined) return canonical === zone;
  return zone.split('/').every((segment) => /^[A-Z]/.test(segment) && !/[A-Z]{4,}/.test(segment.replace(/[a-z].*$/, '')));
}
