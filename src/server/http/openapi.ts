/**
 * The few public paths still described by hand, merged into the generated document by
 * `api-document.ts`: the Stripe webhook (its route lives in `src/connection/stripe`, a layer that
 * may not import `server/http`'s helpers), `/mcp` (one handler for every method of the MCP
 * transport, which `createRoute` cannot declare) and the `/a/{token}` approval page (HTML; not
 * converted yet). Every other path comes from the routes' `createRoute` declarations.
 */
export function publicPaths(): Record<string, Record<string, unknown>> {
  return {
    '/hooks/stripe/{connectionId}': { post: { summary: 'Stripe webhook (Stripe-Signature, 300 s tolerance)', parameters: [{ name: 'connectionId', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'stored' }, '400': { description: 'bad signature or body' }, '404': { description: 'unknown connection' } } } },
    '/mcp': { post: { summary: 'MCP over streamable HTTP (bearer token): tools search_knowledge, answer_question, find_contacts, list_deals, list_signals, list_approvals, list_connections, get_run, propose_sms, propose_tool_call', security: [{ bearer: [] }], responses: { '200': { description: 'JSON-RPC response' }, '401': { description: 'no or unknown token' } } } },
    '/a/{token}': {
      get: { summary: 'Approval decision page (does not decide)', parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'HTML page' }, '404': { description: 'unknown link' }, '410': { description: 'expired link' } } },
      post: { summary: 'Decide via the link (single use)', parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'decided' }, '409': { description: 'already decided' } } },
    },
  };
}
