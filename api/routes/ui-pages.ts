// The browser UI: static HTML pages and small vanilla JS modules from ui/. Each page route sends
// its HTML file; the page's script reads data from the JSON API with the session cookie.
// A strict Content-Security-Policy: scripts, styles and requests only from this origin. A package's
// own pages (PackageModule.pages) are served the same way from its folder, packages/<slug>/ui/.
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { setRouteLabel } from '../middleware/request-context';
import { UNMATCHED_ROUTE } from '../../lib/metrics/http-metrics';
import type { PackageModule } from '../../packages/module';

export const UI_DIR = path.resolve(__dirname, '../../ui');
/** Each package's own browser modules live in its folder: packages/<slug>/ui/ (served under /assets/packages/<slug>/ui/). */
export const PACKAGES_DIR = path.resolve(__dirname, '../../packages');

/** A package's browser modules: /assets/packages/<slug>/ui/<file>.js is packages/<slug>/ui/<file>.js. */
export const PACKAGE_ASSET_ROUTE = '/assets/packages/:slug/ui/:file';

/** Page routes → their HTML file in ui/pages. */
export const UI_PAGES: Record<string, string> = {
  '/login': 'login.html',
  '/marketplace': 'marketplace.html',
  '/packages/:slug': 'package.html',
  '/installations': 'installations.html',
  '/installations/:id': 'installation.html',
  '/integrations': 'integrations.html',
  '/admin': 'admin.html',
};

/** /assets/vendor/<name> → the file in node_modules (marked: CommonMark + GFM; DOMPurify: the sanitiser). */
export const UI_VENDOR_FILES: Record<string, string> = {
  'marked.js': require.resolve('marked'), // its only export: lib/marked.esm.js
  'purify.js': path.join(path.dirname(require.resolve('dompurify')), 'purify.es.mjs'),
};

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** `file` is a path under ui/pages (the platform's pages) or a package's page, packages/<slug>/ui/<file>. */
function sendPage(res: Response, file: string, status = 200) {
  res
    .status(status)
    .set(SECURITY_HEADERS)
    .set('Cache-Control', 'no-cache')
    .sendFile(path.isAbsolute(file) ? file : path.join(UI_DIR, 'pages', file));
}

/** Each package's pages: route → the HTML file in its folder. */
function packagePages(modules: readonly PackageModule[]): Record<string, string> {
  return Object.fromEntries(
    modules.flatMap((m) => Object.entries(m.pages ?? {}).map(([route, file]) => [route, path.join(PACKAGES_DIR, m.definition.identity.slug, 'ui', file)])),
  );
}

/** Every page route the UI serves: the platform's and each package's. */
export function uiPageRoutes(modules: readonly PackageModule[] = []): string[] {
  return [...Object.keys(UI_PAGES), ...Object.keys(packagePages(modules))];
}

export function uiRouter(modules: readonly PackageModule[] = []): Router {
  const router = Router();
  router.use(
    '/assets',
    express.static(path.join(UI_DIR, 'assets'), {
      index: false,
      fallthrough: true,
      setHeaders: (res) => {
        setRouteLabel(res, '/assets/:file');
        res.setHeader('Cache-Control', 'no-cache');
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    }),
  );
  // The Markdown renderer and sanitiser for digest previews, served from this origin (no CDN):
  // the npm packages' own ES module builds, pinned in package.json.
  for (const [name, file] of Object.entries(UI_VENDOR_FILES)) {
    router.get(`/assets/vendor/${name}`, (_req, res) => {
      res.set({ 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'text/javascript; charset=utf-8' }).sendFile(file);
    });
  }
  // A package's UI section (PackageDefinition.uiSection): /assets/packages/<slug>/ui/<file>.js is
  // packages/<slug>/ui/<file>.js, so its relative imports of the shared modules (../../../dom.js)
  // resolve to /assets/… in the browser as they do on disk for the type checker (tsconfig.ui.json).
  router.get(PACKAGE_ASSET_ROUTE, (req, res, next) => {
    const { slug, file } = req.params;
    if (!/^[a-z0-9_]+$/.test(slug) || !/^[a-z0-9-]+\.js$/.test(file)) return next();
    setRouteLabel(res, PACKAGE_ASSET_ROUTE);
    res
      .set({ 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'text/javascript; charset=utf-8' })
      .sendFile(path.join(PACKAGES_DIR, slug, 'ui', file), (err) => {
        if (err) next();
      });
  });
  router.get('/', (_req, res) => res.redirect(302, '/marketplace'));
  for (const [route, file] of Object.entries(UI_PAGES)) router.get(route, (_req, res) => sendPage(res, file));
  for (const [route, file] of Object.entries(packagePages(modules))) router.get(route, (_req, res) => sendPage(res, file));
  // Any other page a browser asks for: a friendly 404 page, counted under one metrics label.
  router.get('/{*rest}', (_req, res) => {
    setRouteLabel(res, UNMATCHED_ROUTE);
    sendPage(res, 'not-found.html', 404);
  });
  return router;
}
