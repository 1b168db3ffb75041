import { openApiDocument } from './openapi.js';
import { routeScopes } from './require-scope.js';
import { apiRoutes } from './api-routes.js';
import type { Services } from './services.js';
import { zodRoutePaths, zodSubApps } from './zod-route-paths.js';

/**
 * The OpenAPI document of the whole HTTP surface for `serverUrl`, built from the routes alone (no
 * database is touched: route builders only close over `Services`).
 */
export function apiDocument(serverUrl: string): ReturnType<typeof openApiDocument> {
  const api = apiRoutes(inert() as Services);
  const scopes = routeScopes(api);
  const doc = openApiDocument(serverUrl, scopes);
  Object.assign(doc.paths, zodRoutePaths(zodSubApps(inert() as Services), scopes));
  return doc;
}

/** A stand-in for `Services` whose every property and call is another stand-in (never used by a request). */
function inert(): any {
  const f = function () { return undefined; };
  return new Proxy(f, { get: (_t, k) => (k === Symbol.toPrimitive ? () => '' : k === 'then' ? undefined : inert()), apply: () => inert() });
}
