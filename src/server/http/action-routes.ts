import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, refuseWith, scoped } from './openapi-app.js';
import { proposeSmsAction, proposeToolCallAction } from '../propose-action.js';
import { JsonObject, RunReceipt } from './schemas/common.js';

const SmsBody = z.object({ to: z.string(), body: z.string(), idempotencyKey: z.string().max(200).optional() }).strict();
const ToolBody = z.object({ connectionId: z.string(), tool: z.string(), arguments: JsonObject.default({}), summary: z.string().max(300).optional(), idempotencyKey: z.string().max(200).optional() }).strict();

/** How a proposer is named to the owner (notices, run summaries, ledger): `assistant "claude"`, `staff "Sam"`. */
function proposerLabel(p: { kind: string; role: string | null; name: string }): string {
  return `${p.kind === 'user' ? (p.role ?? 'user') : p.kind} "${p.name}"`;
}

/**
 * Proposals of outside actions (propose): `POST /actions/sms` and `POST /actions/tool`. 202 with
 * the run: the policy decides whether it is sent, waits for approval, or is refused.
 */
export function actionRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Send the JSON body the OpenAPI document at /openapi.json describes.');
  const { db } = s;

  app.openapi(createRoute({
    method: 'post', path: '/actions/sms', summary: 'Propose a text to a customer: the policy decides (send, ask the owner, refuse)', ...scoped('propose'),
    request: { body: jsonBody(SmsBody) },
    responses: { 202: jsonResponse(RunReceipt, 'proposed; follow the run'), 400: errorResponseDoc('invalid body'), ...authResponses('propose') },
  }), async (c) => {
    const b = c.req.valid('json');
    const res = await proposeSmsAction(db, s.host, { tenantId: c.get('tenantId'), to: b.to, body: b.body, proposedBy: proposerLabel(c.get('principal')), proposerPrincipalId: c.get('principal').id, idempotencyKey: b.idempotencyKey });
    return c.json({ ...res, note: 'proposed: the policy decides whether it is sent, waits for approval, or is refused; follow the run' }, 202);
  }, refuseWith(() => 'body must be {"to": "+1…", "body": "text", "idempotencyKey"?: "…"}', 'Send a JSON object with "to" (a phone number) and "body" (the text), nothing else.'));

  app.openapi(createRoute({
    method: 'post', path: '/actions/tool', summary: 'Propose a call of a tool of an MCP connection: its declared effect and the policy decide', ...scoped('propose'),
    request: { body: jsonBody(ToolBody) },
    responses: { 202: jsonResponse(RunReceipt, 'proposed; follow the run'), 400: errorResponseDoc('invalid body or tool'), 404: errorResponseDoc('no such MCP connection in your business'), ...authResponses('propose') },
  }), async (c) => {
    const res = await proposeToolCallAction(db, s.host, { tenantId: c.get('tenantId'), ...c.req.valid('json'), proposedBy: proposerLabel(c.get('principal')), proposerPrincipalId: c.get('principal').id });
    return c.json({ ...res, note: 'proposed: the declared effect and the policy decide; follow the run' }, 202);
  }, refuseWith(() => 'body must be {"connectionId", "tool", "arguments"?, "summary"?, "idempotencyKey"?}', 'Send "connectionId" and "tool" (see GET /api/v1/connections), with "arguments" as an object.'));
  return app;
}
