import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { settingsRoutes } from './settings-routes.js';
import { knowledgeFilesRoutes } from './knowledge-files-routes.js';
import { connectionPollRoutes } from './connection-poll-routes.js';
import { accountRoutes } from './account-routes.js';
import { ledgerRoutes } from './ledger-routes.js';
import { documentQcRoutes } from './document-qc-routes.js';
import { contentRoutes } from './content-routes.js';

/** The `/api/v1` sub-apps written with `@hono/zod-openapi` (their document comes from their route schemas). */
export function zodSubApps(s: Services): Array<OpenAPIHono<{ Variables: Vars }>> {
  return [settingsRoutes(s), knowledgeFilesRoutes(s), connectionPollRoutes(s), accountRoutes(s), ledgerRoutes(s), documentQcRoutes(s), contentRoutes(s)];
}

/**
 * The OpenAPI paths of the zod sub-apps, under `/api/v1`, each operation with the scope its
 * `requireScope` declares (`scopes`: `METHOD /path` in Hono form) and its 403. Until the whole
 * document is generated from route schemas, `api-document.ts` merges these into the hand-written one.
 */
export function zodRoutePaths(apps: Array<OpenAPIHono<{ Variables: Vars }>>, scopes: Record<string, string>): Record<string, Record<string, any>> {
  const out: Record<string, Record<string, any>> = {};
  for (const app of apps) {
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'AIOS API', version: '1' } });
    for (const [path, ops] of Object.entries(doc.paths ?? {})) {
      const full = `/api/v1${path}`;
      for (const [method, op] of Object.entries(ops as Record<string, any>)) {
        const scope = scopes[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`];
        (out[full] ??= {})[method] = { ...op, security: [{ bearer: scope ? [scope] : [] }], responses: { ...op.responses, '403': op.responses?.['403'] ?? { description: `the token lacks the ${scope} scope` } } };
      }
    }
  }
  return out;
}
