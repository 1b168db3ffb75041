import { Hono } from 'hono';
import type { Services } from './services.js';
import { apiDocument } from './api-document.js';
import { errorResponse } from './errors.js';
import { JSON_MAX_BYTES, jsonBodyLimit } from './body-limits.js';
import { urlGuard } from './url-guard.js';
import { webAppRoutes } from './web-app.js';
import { documentedRoutes } from './documented-routes.js';

/**
 * The whole HTTP surface of AIOS. Before any route: URLs holding control characters get 400
 * (`url-guard.ts`), and JSON bodies of `/api/v1`, `/mcp` and `/widget` over 64 KiB get 413 before
 * they are buffered (`body-limits.ts`; CSV imports keep their own 50 MB limit). Errors of public
 * routes never show internal messages or paths (`errors.ts`, audience `public`). `/openapi.json`
 * is generated from the routes mounted here (`documentedRoutes`) on its first request (the
 * server's address is filled in on each).
 */
export function buildApp(s: Services): Hono {
  const app = new Hono();
  app.use('*', urlGuard());
  for (const path of ['/api/v1/*', '/mcp/*', '/widget/*', '/auth/*']) app.use(path, jsonBodyLimit(JSON_MAX_BYTES));
  const routes = documentedRoutes(s, (req) => Promise.resolve(app.fetch(req)));
  let doc: ReturnType<typeof apiDocument> | undefined;
  app.get('/openapi.json', (c) => c.json({ ...(doc ??= apiDocument('', routes)), servers: [{ url: s.publicUrl() }] }));
  app.route('/', routes);
  app.route('/', webAppRoutes());
  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}`, fix: 'See /openapi.json for the API.' }, 404));
  app.onError((err, c) => errorResponse(c, err, s.log, 'public'));
  return app;
}
