import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import { loadWebDist, webAppRoutes, type WebDist } from '../src/server/http/web-app.js';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';

/** A raw GET whose path is sent exactly as written (fetch would normalise `..` away). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const u = new URL(base);
  return new Promise((ok, fail) => {
    const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

function listen(dist: string | WebDist): Promise<{ url: string; server: ServerType }> {
  return new Promise((ok) => {
    const server = serve({ fetch: webAppRoutes(dist).fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => ok({ url: `http://127.0.0.1:${info.port}`, server }));
  });
}

const APP_JS = `console.log(${JSON.stringify('the dashboard '.repeat(400))});`;
let root: string;
let built: { url: string; server: ServerType };
let empty: { url: string; server: ServerType };

beforeAll(async () => {
  // root/secret.txt next to root/dist: what a path traversal would try to read.
  root = mkdtempSync(join(tmpdir(), 'aios-webapp-'));
  writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET-NEXT-TO-THE-BUILD');
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>');
  writeFileSync(join(dist, 'assets', 'app-abc123.js'), APP_JS);
  const site = loadWebDist(dist);
  await site.ready; // the compressed copies are computed off the main thread
  built = await listen(site);
  empty = await listen(join(root, 'nothing-built-here'));
});

afterAll(() => {
  built?.server.close();
  empty?.server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the dashboard build, served from memory', () => {
  it('serves a hashed asset compressed as asked (brotli, gzip, none), with immutable caching', async () => {
    const gz = await rawGet(built.url, '/assets/app-abc123.js', { 'accept-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gz.headers['content-type']).toMatch(/^text\/javascript/);
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    expect(gz.body.length).toBeLessThan(APP_JS.length / 5);
    expect(gunzipSync(gz.body).toString()).toBe(APP_JS);

    const br = await rawGet(built.url, '/assets/app-abc123.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(APP_JS);

    const plain = await rawGet(built.url, '/assets/app-abc123.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(APP_JS);
  });

  it('answers an unknown asset with a 404, not the app page', async () => {
    const r = await rawGet(built.url, '/assets/nope-123.js');
    expect(r.status).toBe(404);
  });

  it('revalidates index.html by ETag: 304 when unchanged, and routes every browser path to it', async () => {
    const first = await rawGet(built.url, '/');
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await rawGet(built.url, '/', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const deep = await rawGet(built.url, '/approvals/ap_1');
    expect(deep.status).toBe(200);
    expect(deep.body.toString()).toContain('<div id="root">');
    expect((await rawGet(built.url, '/', { 'if-none-match': '"something-else"' })).status).toBe(200);
  });

  it('never serves a file from outside the build, however the path is written', async () => {
    for (const path of ['/..%2fsecret.txt', '/..%2f..%2fsecret.txt', '/assets/../../secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..\\secret.txt']) {
      const r = await rawGet(built.url, path);
      expect(r.body.toString(), path).not.toContain('TOP-SECRET');
    }
  });

  it('without a build, / explains how to build the dashboard (HTML, never JSON)', async () => {
    const r = await rawGet(empty.url, '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body.toString()).toContain('npm run build:web');
  });
});

describe('the dashboard inside AIOS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness([{ slug: 'webapp', phone: '+14165550177', policy: AUTO_POLICY }]);
  }, 60_000);
  afterAll(async () => h?.stop());

  it('/ is HTML with the content security policy; /api/v1/nope stays a JSON 404', async () => {
    const page = await fetch(h.aios.url + '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toMatch(/^<!doctype html>/i);

    const api = await fetch(h.aios.url + '/api/v1/nope', { headers: { authorization: `Bearer ${h.aios.cliTokens.get('webapp')}` } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await api.json()).toMatchObject({ error: 'not_found' });
    // Anonymous: still JSON (401), never the app page.
    const anon = await fetch(h.aios.url + '/api/v1/nope');
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('does not leak package.json through the real server', async () => {
    for (const path of ['/..%2f..%2fpackage.json', '/assets/../../package.json', '/../package.json']) {
      const r = await rawGet(h.aios.url, path);
      expect(r.body.toString(), path).not.toContain('"dependencies"');
    }
  });
});
