import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { Hono, type Context } from 'hono';

/** Where `npm run build:web` writes the dashboard (Vite's output). */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths that belong to the API, webhooks and public pages, never to the dashboard. */
const RESERVED = ['/api/', '/hooks/', '/mcp', '/widget', '/a/', '/auth/', '/health', '/openapi.json'];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
};
/** Worth compressing (text); images and fonts are compressed already. */
const TEXT = new Set(['.js', '.css', '.html', '.svg', '.json', '.webmanifest', '.map', '.txt']);
/** Below this many bytes a compressed copy saves less than its headers cost. */
const MIN_COMPRESS = 1024;

const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>AIOS</title><body style="font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">
<h1>AIOS is running</h1><p>The dashboard has not been built on this machine yet.</p>
<p>Stop AIOS, run <code>npm run build:web</code> (or <code>npm ci</code>, which builds it), and start again.</p>
<p>The API works meanwhile: <a href="/openapi.json">/openapi.json</a>.</p></body></html>`;

/** One file of the build, held in memory with its compressed copies (filled in once computed). */
interface CachedFile {
  body: Bytes;
  type: string;
  /** Strong validator: a hash of the content. */
  etag: string;
  gzip?: Bytes;
  br?: Bytes;
}

type Bytes = Uint8Array<ArrayBuffer>;
/** A copy in an ArrayBuffer of its own (what `c.body` takes), made once per file. */
const own = (b: Buffer): Bytes => new Uint8Array(b);

/** The dashboard's build in memory: every file by URL path (`/index.html`, `/assets/…`). */
export interface WebDist {
  dir: string;
  files: Map<string, CachedFile>;
  /** Resolves when every compressed copy is computed (requests before that get what is ready). */
  ready: Promise<void>;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

function walk(dir: string, root: string, out: Map<string, CachedFile>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) walk(path, root, out);
    else if (st.isFile()) {
      const body = own(readFileSync(path));
      const url = '/' + relative(root, path).split(sep).join('/');
      out.set(url, { body, type: TYPES[extname(name)] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    }
  }
}

/**
 * Reads the whole build into memory (a few hundred KB) and starts computing gzip (level 9) and
 * brotli (quality 11) copies of its text files in libuv's thread pool, so the start of AIOS is not
 * held up. A missing build gives an empty map (the "how to build it" page is served).
 */
export function loadWebDist(dir = WEB_DIST): WebDist {
  const files = new Map<string, CachedFile>();
  if (existsSync(join(dir, 'index.html'))) walk(dir, dir, files);
  const jobs: Array<Promise<unknown>> = [];
  for (const [url, f] of files) {
    if (!TEXT.has(extname(url)) || f.body.length < MIN_COMPRESS) continue;
    jobs.push(gzipAsync(f.body, { level: constants.Z_BEST_COMPRESSION }).then((b) => { if (b.length < f.body.length) f.gzip = own(b); }));
    jobs.push(brotliAsync(f.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: f.body.length } }).then((b) => { if (b.length < f.body.length) f.br = own(b); }));
  }
  return { dir, files, ready: Promise.all(jobs).then(() => undefined) };
}

/** The encodings a request accepts (q=0 excluded). */
function accepted(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) out.add(name);
  }
  return out;
}

/** Sends a cached file: the smallest encoding the client accepts, with `Vary: Accept-Encoding`. */
function send(c: Context, f: CachedFile): Response {
  const enc = accepted(c.req.header('accept-encoding'));
  c.header('Content-Type', f.type);
  c.header('ETag', f.etag);
  c.header('X-Content-Type-Options', 'nosniff');
  if (f.gzip || f.br) c.header('Vary', 'Accept-Encoding');
  let body = f.body;
  if (f.br && enc.has('br')) {
    body = f.br;
    c.header('Content-Encoding', 'br');
  } else if (f.gzip && (enc.has('gzip') || enc.has('*'))) {
    body = f.gzip;
    c.header('Content-Encoding', 'gzip');
  }
  c.header('Content-Length', String(body.length));
  return c.req.method === 'HEAD' ? c.body(null, 200) : c.body(body, 200);
}

/** True when the request's If-None-Match names this ETag (or `*`). */
function fresh(c: Context, etag: string): boolean {
  const inm = c.req.header('if-none-match');
  return !!inm && (inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag));
}

/**
 * Serves the dashboard (a single-page app) from memory ({@link loadWebDist}): `/assets/*` with a
 * year of immutable caching (their names carry a content hash), other files of the build by name,
 * and `index.html` (revalidated every time: ETag, 304) for every other browser path, since the app
 * routes on the client. Compressed copies are served by Accept-Encoding (brotli, else gzip).
 * Request paths are looked up in the in-memory map, never joined onto the disk, so no path leaves
 * the build. When the build is missing, an HTML page says how to build it — the address AIOS
 * prints never answers JSON.
 */
export function webAppRoutes(dist: string | WebDist = WEB_DIST): Hono {
  const site = typeof dist === 'string' ? loadWebDist(dist) : dist;
  const app = new Hono();
  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const p = c.req.path;
    if (RESERVED.some((r) => p === r.replace(/\/$/, '') || p.startsWith(r))) return next();
    const hit = p !== '/' && p !== '/index.html' ? site.files.get(p) : undefined;
    if (hit) {
      c.header('Cache-Control', p.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (fresh(c, hit.etag)) return c.body(null, 304, { ETag: hit.etag });
      return send(c, hit);
    }
    if (p.startsWith('/assets/')) return next();
    c.header('Cache-Control', 'no-cache');
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('Content-Security-Policy', CSP);
    const index = site.files.get('/index.html');
    if (!index) return c.html(NOT_BUILT);
    if (fresh(c, index.etag)) return c.body(null, 304, { ETag: index.etag });
    return send(c, index);
  });
  return app;
}
