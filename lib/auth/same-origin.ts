// Is a browser request coming from our own pages? Judged from Origin (or, when a browser sent
// none, Referer) against PUBLIC_URL or the Host the request was sent to. Requests with neither
// header are not browser cross-site requests (browsers send Origin on every cross-origin POST).

export interface OriginHeaders {
  origin?: string;
  referer?: string;
  host?: string;
  secFetchSite?: string;
}

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

function originOf(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

export function checkSameOrigin(headers: OriginHeaders, options: { publicUrl?: string }): OriginVerdict {
  if (headers.secFetchSite === 'cross-site') return { ok: false, reason: 'the browser marked the request cross-site' };
  const claimed = headers.origin ?? headers.referer;
  if (claimed === undefined) return { ok: true };
  const which = headers.origin !== undefined ? 'Origin' : 'Referer';
  if (claimed === 'null') return { ok: false, reason: `${which} is "null"` };
  const url = originOf(claimed);
  if (!url) return { ok: false, reason: `${which} is not an http(s) URL` };
  const publicOrigin = options.publicUrl ? originOf(options.publicUrl)?.origin : undefined;
  if (publicOrigin && url.origin === publicOrigin) return { ok: true };
  if (headers.host && url.host.toLowerCase() === headers.host.toLowerCase()) return { ok: true };
  return { ok: false, reason: `${which} ${url.origin} is not this site` };
}
