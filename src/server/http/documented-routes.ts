import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Services } from './services.js';
import { twilioRoutes } from './twilio-routes.js';
import { apiRoutes } from './api-routes.js';
import { approvalPageRoutes } from './approval-page.js';
import { mcpRoutes } from './mcp-routes.js';
import { stripeWebhookRoutes } from '../../connection/stripe/webhook-routes.js';
import { formRoutes } from './form-routes.js';
import { widgetRoutes } from './widget-routes.js';
import { afterStripeEvent } from '../invoice-intake.js';
import { loginRoutes } from './login-routes.js';

/**
 * Every route of the HTTP surface that the OpenAPI document describes, mounted once: the JSON API
 * under `/api/v1`, webhooks, the widget, approval links, login and MCP. `buildApp` serves these
 * (after its guards) and `/openapi.json` is generated from this very app, so a route mounted here
 * is in the document and a route not mounted is not. `appFetch` is the whole app (for `/mcp`,
 * which calls the API in-process).
 */
export function documentedRoutes(s: Services, appFetch: (req: Request) => Promise<Response> = () => Promise.reject(new Error('no app'))): OpenAPIHono {
  const app = new OpenAPIHono();
  app.openapi(createRoute({
    method: 'get', path: '/health', summary: 'Liveness: 200 once AIOS is ready',
    responses: { 200: { content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } }, description: 'ready' } },
  }), (c) => c.json({ status: 'ok' as const }, 200));
  app.route('/hooks/twilio', twilioRoutes(s));
  app.route('/a', approvalPageRoutes(s));
  app.route('/', stripeWebhookRoutes({ db: s.db, box: s.secretBox, log: s.log, onApplied: async (t, e) => void (await afterStripeEvent(s.db, t, e)) }));
  app.route('/', formRoutes(s));
  app.route('/', widgetRoutes(s));
  app.route('/api/v1', apiRoutes(s));
  app.route('/mcp', mcpRoutes(appFetch));
  app.route('/auth', loginRoutes(s));
  return app;
}
