import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { compress } from 'hono/compress';

/** Where `npm run build:web` writes the dashboard (Vite's output). */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths that belong to the API, webhooks and public pages, never to the dashboard. */
const RESERVED = ['/api/', '/hooks/', '/mcp', '/widget', '/a/', '/auth/', '/health', '/openapi.json'];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2', '.map': 'application/json',
};

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>AIOS</title><body style="font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">
<h1>AIOS is running</h1><p>The dashboard has not been built on this machine yet.</p>
<p>Stop AIOS, run <code>npm run build:web</code> (or <code>npm ci</code>, which builds it), and start again.</p>
<p>The API works meanwhile: <a href="/openapi.json">/openapi.json</a>.</p></body></html>`;

/**
 * Serves the dashboard (a single-page app) from {@link WEB_DIST}: `/assets/*` with a year of
 * caching (file names carry a content hash), other files of the build by name, and `index.html`
 * for every other browser path (the app routes on the client). When the build is missing, an HTML
 * page says how to build it — the address AIOS prints never answers JSON.
 */
export function webAppRoutes(dist = WEB_DIST): Hono {
  const app = new Hono();
  app.use('*', compress());
  const file = (rel: string): string | null => {
    const path = normalize(join(dist, rel));
    if (!path.startsWith(dist + sep)) return null;
    return existsSync(path) && statSync(path).isFile() ? path : null;
  };
  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const p = c.req.path;
    if (RESERVED.some((r) => p === r.replace(/\/$/, '') || p.startsWith(r))) return next();
    let rel = p;
    try { rel = decodeURIComponent(p); } catch { return next(); }
    const hit = p !== '/' ? file(rel) : null;
    if (hit) {
      c.header('Content-Type', TYPES[extname(hit)] ?? 'application/octet-stream');
      c.header('Cache-Control', p.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      c.header('X-Content-Type-Options', 'nosniff');
      return c.body(readFileSync(hit));
    }
    if (p.startsWith('/assets/')) return next();
    const index = file('index.html');
    c.header('Cache-Control', 'no-cache');
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('Content-Security-Policy', "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    return c.html(index ? readFileSync(index, 'utf8') : NOT_BUILT);
  });
  return app;
}
