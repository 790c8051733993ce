// @ts-check
// Time zones for the pickers: the browser's IANA list under their current canonical names (ICU
// still reports some legacy links — Asia/Calcutta, Europe/Kiev — so they are mapped to the names
// the IANA database uses today), each with its UTC offset now; and local wall-clock arithmetic
// for previewing a schedule before it is saved.

/** Legacy IANA links → today's canonical zone (tzdata "backward" file, the ones ICU still returns). */
const CANONICAL = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Dacca': 'Asia/Dhaka',
  'Asia/Thimbu': 'Asia/Thimphu',
  'Asia/Ulan_Bator': 'Asia/Ulaanbaatar',
  'Asia/Macao': 'Asia/Macau',
  'Asia/Ujung_Pandang': 'Asia/Makassar',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Godthab': 'America/Nuuk',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Johnston': 'Pacific/Honolulu',
  'Europe/Uzhgorod': 'Europe/Kyiv',
  'Europe/Zaporozhye': 'Europe/Kyiv',
  'Australia/Currie': 'Australia/Hobart',
  'America/Nipigon': 'America/Toronto',
  'America/Thunder_Bay': 'America/Toronto',
  'America/Rainy_River': 'America/Winnipeg',
  'America/Yellowknife': 'America/Edmonton',
  'America/Pangnirtung': 'America/Iqaluit',
};

/** The canonical name of a zone (legacy links mapped; anything else unchanged). */
export function canonicalZone(zone) {
  return Object.hasOwn(CANONICAL, zone) ? CANONICAL[zone] : zone;
}

/** Minutes east of UTC of `zone` at `date`. */
export function offsetMinutes(zone, date = new Date()) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(date);
  const get = (type) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** "UTC+05:30", "UTC-03:00", "UTC+00:00" (the API's offsets, with UTC before them). */
export function formatOffset(minutes) {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Every zone the browser knows, canonical and unique, with its offset now, sorted by name. */
export function timeZoneOptions(now = new Date()) {
  let names;
  try {
    names = Intl.supportedValuesOf('timeZone');
  } catch {
    names = ['UTC'];
  }
  const unique = [...new Set(['UTC', ...names.map(canonicalZone)])].filter((z) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: z });
      return true;
    } catch {
      return false;
    }
  });
  return unique.sort().map((name) => ({ name, offset: formatOffset(offsetMinutes(name, now)) }));
}

/** The browser's own zone, canonical. */
export function browserZone() {
  return canonicalZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}

/**
 * The instant at which the wall clock in `zone` shows `hhmm` on the local date y-m-d. A time
 * skipped by a DST change moves forward by the gap (as Temporal's calendar schedules do).
 */
function instantAt(zone, y, m, d, hh, mm) {
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wall - offsetMinutes(zone, new Date(wall)) * 60_000;
  guess = wall - offsetMinutes(zone, new Date(guess)) * 60_000;
  return new Date(guess);
}

/** The next `count` instants at `hhmm` local time in `zone`, after `from`. */
export function nextLocalTimes(hhmm, zone, count = 3, from = new Date()) {
  const [hh, mm] = hhmm.split(':').map(Number);
  if (!Number.isInteger(hh) || !Number.isInteger(mm)) return [];
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(from);
  const [y, m, d] = today.split('-').map(Number);
  const out = [];
  for (let i = 0; out.length < count && i < count + 2; i++) {
    const day = new Date(Date.UTC(y, m - 1, d + i));
    const at = instantAt(zone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hh, mm);
    if (at > from) out.push(at);
  }
  return out;
}
