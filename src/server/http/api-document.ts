import { openApiDocument } from './openapi.js';
import { routeScopes } from './require-scope.js';
import { apiRoutes } from './api-routes.js';
import type { Services } from './services.js';
import { dashboardPaths } from './dashboard-routes.js';
import { recordRoutes } from './record-routes.js';
import { onboardingRoutes } from './onboarding-routes.js';
import { auditRoutes } from './audit-routes.js';
import { zodRoutePaths, zodSubApps } from './zod-route-paths.js';

/**
 * The OpenAPI document of the whole HTTP surface for `serverUrl`, built from the routes alone (no
 * database is touched: route builders only close over `Services`). The route files written with
 * `@hono/zod-openapi` describe themselves; their paths (under /api/v1) and schemas are merged in.
 */
export function apiDocument(serverUrl: string): ReturnType<typeof openApiDocument> {
  const api = apiRoutes(inert() as Services);
  const scopes = routeScopes(api);
  const doc = openApiDocument(serverUrl, scopes);
  const s = inert() as Services;
  Object.assign(doc.paths, dashboardPaths(s));
  Object.assign(doc.paths, zodRoutePaths(zodSubApps(s), routeScopes(api)));
  const components = doc.components as { schemas?: Record<string, unknown> };
  for (const sub of [recordRoutes(s), onboardingRoutes(s), auditRoutes(s)]) {
    const part = sub.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'AIOS API', version: '1' } });
    for (const [path, ops] of Object.entries(part.paths ?? {})) {
      // Each operation names the scope its route declares (requireScope), and its 403.
      for (const [method, op] of Object.entries(ops as Record<string, { security?: unknown; responses?: Record<string, unknown> }>)) {
        const scope = scopes[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`];
        if (scope && !op.security) op.security = [{ bearer: [scope] }];
        if (op.responses && !op.responses['403']) op.responses['403'] = { description: `this token lacks the ${scope ?? 'needed'} scope` };
      }
      doc.paths[`/api/v1${path}`] = { ...(doc.paths[`/api/v1${path}`] as object), ...ops };
    }
    components.schemas = { ...components.schemas, ...part.components?.schemas };
  }
  return doc;
}

/** A stand-in for `Services` whose every property and call is another stand-in (never used by a request). */
function inert(): any {
  const f = function () { return undefined; };
  return new Proxy(f, { get: (_t, k) => (k === Symbol.toPrimitive ? () => '' : k === 'then' ? undefined : inert()), apply: () => inert() });
}
