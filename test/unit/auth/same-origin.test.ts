import { checkSameOrigin } from '../../../lib/auth/same-origin';

describe('checkSameOrigin', () => {
  const host = 'app.example.com';

  it('passes requests without Origin or Referer (not a browser cross-site request)', () => {
    expect(checkSameOrigin({ host }, {})).toEqual({ ok: true });
  });

  it.each([
    ['Origin equal to Host', { origin: 'https://app.example.com', host }],
    ['Origin equal to Host with a port', { origin: 'http://localhost:3000', host: 'localhost:3000' }],
    ['Host compared case-insensitively', { origin: 'https://APP.example.com', host: 'app.EXAMPLE.com' }],
    ['Referer on our host when Origin is absent', { referer: 'https://app.example.com/tenants/acme?x=1', host }],
    ['Sec-Fetch-Site same-origin', { origin: 'https://app.example.com', host, secFetchSite: 'same-origin' }],
  ])('accepts %s', (_name, headers) => {
    expect(checkSameOrigin(headers, {})).toEqual({ ok: true });
  });

  it('accepts the PUBLIC_URL origin even when Host differs (behind a proxy)', () => {
    expect(checkSameOrigin({ origin: 'https://fleet.example.com', host: '10.0.0.5:3000' }, { publicUrl: 'https://fleet.example.com/app/' })).toEqual({
      ok: true,
    });
    expect(checkSameOrigin({ origin: 'http://fleet.example.com', host: '10.0.0.5:3000' }, { publicUrl: 'https://fleet.example.com' }).ok).toBe(false);
  });

  it.each([
    ['another origin', { origin: 'https://evil.example', host }],
    ['another port', { origin: 'https://app.example.com:8443', host }],
    ['a look-alike suffix', { origin: 'https://app.example.com.evil.example', host }],
    ['Origin: null', { origin: 'null', host }],
    ['a non-http Origin', { origin: 'file:///tmp/x.html', host }],
    ['an unparseable Origin', { origin: 'not a url', host }],
    ['a cross-origin Referer', { referer: 'https://evil.example/x', host }],
    ['Origin wins over a same-origin Referer', { origin: 'https://evil.example', referer: 'https://app.example.com/', host }],
    ['Sec-Fetch-Site cross-site', { origin: 'https://app.example.com', host, secFetchSite: 'cross-site' }],
    ['no Host to compare to', { origin: 'https://app.example.com' }],
  ])('refuses %s', (_name, headers) => {
    const verdict = checkSameOrigin(headers, {});
    expect(verdict.ok).toBe(false);
  });
});
