// The only part of a URL that may appear in messages and logs: scheme and host. The path and
// query of a webhook URL are the credential.

export function urlOrigin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** The port a connection to this URL will use. */
export function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}
