import { openApiDocument } from './openapi.js';
import { routeScopes } from './require-scope.js';
import { apiRoutes } from './api-routes.js';
import { onboardingRoutes } from './onboarding-routes.js';
import type { Services } from './services.js';

/**
 * The OpenAPI document of the whole HTTP surface for `serverUrl`, built from the routes alone (no
 * database is touched: route builders only close over `Services`).
 */
export function apiDocument(serverUrl: string): ReturnType<typeof openApiDocument> {
  const api = apiRoutes(inert() as Services);
  return withZodRouteDocs(openApiDocument(serverUrl, routeScopes(api)));
}

/**
 * Adds the paths and schemas of the route files written with `@hono/zod-openapi` (they describe
 * themselves) to the hand-written document.
 */
export function withZodRouteDocs<D extends ReturnType<typeof openApiDocument>>(doc: D): D {
  for (const sub of [onboardingRoutes(inert() as Services)]) {
    const part = sub.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'AIOS API', version: '1' } });
    for (const [path, ops] of Object.entries(part.paths ?? {})) doc.paths[`/api/v1${path}`] = { ...doc.paths[`/api/v1${path}`], ...ops };
    const components = doc.components as { schemas?: Record<string, unknown> };
    components.schemas = { ...components.schemas, ...part.components?.schemas };
  }
  return doc;
}

/** A stand-in for `Services` whose every property and call is another stand-in (never used by a request). */
function inert(): any {
  const f = function () { return undefined; };
  return new Proxy(f, { get: (_t, k) => (k === Symbol.toPrimitive ? () => '' : k === 'then' ? undefined : inert()), apply: () => inert() });
}
