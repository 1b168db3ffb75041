import { openApiDocument } from './openapi.js';
import { routeScopes } from './require-scope.js';
import { apiRoutes } from './api-routes.js';
import type { Services } from './services.js';
import { dashboardPaths } from './dashboard-routes.js';
import { recordRoutes } from './record-routes.js';
import { zodRoutePaths, zodSubApps } from './zod-route-paths.js';

/**
 * The OpenAPI document of the whole HTTP surface for `serverUrl`, built from the routes alone (no
 * database is touched: route builders only close over `Services`).
 */
export function apiDocument(serverUrl: string): ReturnType<typeof openApiDocument> {
  const api = apiRoutes(inert() as Services);
  const doc = openApiDocument(serverUrl, routeScopes(api));
  Object.assign(doc.paths, dashboardPaths(inert() as Services));
  Object.assign(doc.paths, zodRoutePaths(zodSubApps(inert() as Services), routeScopes(api)));
  // Route files written with @hono/zod-openapi describe themselves (under /api/v1).
  const records = recordRoutes(inert() as Services).getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'AIOS API', version: '1' } });
  for (const [path, ops] of Object.entries(records.paths ?? {})) doc.paths[`/api/v1${path}`] = ops;
  const components = doc.components as { schemas?: Record<string, unknown> };
  components.schemas = { ...components.schemas, ...records.components?.schemas };
  return doc;
}

/** A stand-in for `Services` whose every property and call is another stand-in (never used by a request). */
function inert(): any {
  const f = function () { return undefined; };
  return new Proxy(f, { get: (_t, k) => (k === Symbol.toPrimitive ? () => '' : k === 'then' ? undefined : inert()), apply: () => inert() });
}
