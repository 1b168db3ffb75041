import { Hono } from 'hono';
import type { Services } from './services.js';
import { twilioRoutes } from './twilio-routes.js';
import { apiRoutes } from './api-routes.js';
import { approvalPageRoutes } from './approval-page.js';
import { openApiDocument } from './openapi.js';
import { withZodRouteDocs } from './api-document.js';
import { routeScopes } from './require-scope.js';
import { mcpRoutes } from './mcp-routes.js';
import { stripeWebhookRoutes } from '../../connection/stripe/webhook-routes.js';
import { errorResponse } from './errors.js';
import { formRoutes } from './form-routes.js';
import { widgetRoutes } from './widget-routes.js';
import { JSON_MAX_BYTES, jsonBodyLimit } from './body-limits.js';
import { urlGuard } from './url-guard.js';
import { afterStripeEvent } from '../invoice-intake.js';
import { loginRoutes } from './login-routes.js';
import { webAppRoutes } from './web-app.js';

/**
 * The whole HTTP surface of AIOS. Before any route: URLs holding control characters get 400
 * (`url-guard.ts`), and JSON bodies of `/api/v1`, `/mcp` and `/widget` over 64 KiB get 413 before
 * they are buffered (`body-limits.ts`; CSV imports keep their own 50 MB limit). Errors of public
 * routes never show internal messages or paths (`errors.ts`, audience `public`).
 */
export function buildApp(s: Services): Hono {
  const app = new Hono();
  app.use('*', urlGuard());
  for (const path of ['/api/v1/*', '/mcp/*', '/widget/*', '/auth/*']) app.use(path, jsonBodyLimit(JSON_MAX_BYTES));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  const api = apiRoutes(s);
  app.get('/openapi.json', (c) => c.json(withZodRouteDocs(openApiDocument(s.publicUrl(), routeScopes(api)))));
  app.route('/hooks/twilio', twilioRoutes(s));
  app.route('/a', approvalPageRoutes(s));
  app.route('/', stripeWebhookRoutes({ db: s.db, box: s.secretBox, log: s.log, onApplied: async (t, e) => void (await afterStripeEvent(s.db, t, e)) }));
  app.route('/', formRoutes(s));
  app.route('/', widgetRoutes(s));
  app.route('/api/v1', api);
  app.route('/mcp', mcpRoutes((req) => Promise.resolve(app.fetch(req))));
  app.route('/auth', loginRoutes(s));
  app.route('/', webAppRoutes());
  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}`, fix: 'See /openapi.json for the API.' }, 404));
  app.onError((err, c) => errorResponse(c, err, s.log, 'public'));
  return app;
}
