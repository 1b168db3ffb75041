import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Services } from './services.js';
import { documentedRoutes } from './documented-routes.js';
import { SECURITY_SCHEMES } from './openapi-app.js';
import { publicPaths } from './openapi.js';

/** The OpenAPI document object (3.1) as served at `/openapi.json`. */
export type ApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

/**
 * The OpenAPI 3.1 document of `routes` (by default the documented HTTP surface built on a stand-in
 * for `Services`: no database is touched, route builders only close over `Services`), for
 * `serverUrl`. Every path, parameter, body, response and security requirement comes from the
 * routes' `createRoute` declarations: there is no second description to drift from them.
 */
export function apiDocument(serverUrl: string, routes: OpenAPIHono<any> = offlineRoutes()): ApiDocument {
  const doc = routes.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'AIOS API', version: '1', description: 'Self-hosted AI operating system for owner-operated businesses.' },
    servers: [{ url: serverUrl }],
  });
  doc.paths = { ...publicPaths(), ...doc.paths } as typeof doc.paths;
  doc.components = { ...doc.components, securitySchemes: { ...SECURITY_SCHEMES } };
  return doc;
}

/** {@link documentedRoutes} built on a stand-in for `Services`: for the document and its declared schemas, never for requests. */
export function offlineRoutes(): OpenAPIHono {
  return documentedRoutes(inert() as Services);
}

/** A stand-in for `Services` whose every property and call is another stand-in (never used by a request). */
function inert(): any {
  const f = function () { return undefined; };
  return new Proxy(f, { get: (_t, k) => (k === Symbol.toPrimitive ? () => '' : k === 'then' ? undefined : inert()), apply: () => inert() });
}
