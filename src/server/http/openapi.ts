/**
 * The public (unauthenticated) paths of the HTTP surface not yet declared with zod-openapi:
 * merged into the generated document by `api-document.ts`.
 */
export function publicPaths(): Record<string, Record<string, unknown>> {
  const form = (summary: string) => ({
    post: {
    summary,
    parameters: [{ name: 'X-Twilio-Signature', in: 'header', required: false, schema: { type: 'string' }, description: 'required when an auth token is configured' }],
    requestBody: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } } },
    responses: { '200': { description: 'TwiML' }, '400': { description: 'invalid fields' }, '403': { description: 'bad signature' }, '404': { description: 'unknown To number' }, '413': { description: 'too large' } },
    },
  });
  return {
    '/health': { get: { summary: 'Liveness: 200 once AIOS is ready', responses: { '200': { description: 'ready' } } } },
    '/hooks/twilio/voice': form('Twilio call status callback; no-answer, busy, failed, canceled = missed call'),
    '/hooks/twilio/sms': form('Twilio inbound SMS; STOP/START/HELP honoured'),
    '/hooks/twilio/status': form('Twilio message status callback (delivery receipts of texts AIOS sent)'),
    '/hooks/twilio/recording': form('Twilio recording status callback (voicemail); 409 while the call is not yet known'),
    '/hooks/twilio/transcription': form('Twilio transcription callback (voicemail text; counts as the caller’s reply)'),
    '/hooks/stripe/{connectionId}': { post: { summary: 'Stripe webhook (Stripe-Signature, 300 s tolerance)', parameters: [{ name: 'connectionId', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'stored' }, '400': { description: 'bad signature or body' }, '404': { description: 'unknown connection' } } } },
    '/hooks/forms/{slug}': { post: { summary: 'Signed web form lead (X-AIOS-Timestamp, X-AIOS-Signature: sha256=HMAC(secret, "<ts>.<body>"))', parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }], responses: { '201': { description: 'stored' }, '200': { description: 'duplicate' }, '400': { description: 'invalid field' }, '403': { description: 'bad signature or stale timestamp' }, '404': { description: 'unknown business or forms not configured' }, '413': { description: 'over 64 KB' } } } },
    '/widget.js': { get: { summary: 'The embeddable lead form and chat widget (one <script> tag, data-business="<slug>")', responses: { '200': { description: 'JavaScript' } } } },
    '/widget/{slug}/ask': { post: { summary: 'Public, rate-limited: answer a visitor question from customer-facing knowledge', parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '{ status, answer, citations }' }, '429': { description: 'rate limited (Retry-After)' } } } },
    '/widget/{slug}/lead': { post: { summary: 'Public, rate-limited: a visitor leaves name and phone or email', parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }], responses: { '201': { description: 'stored' }, '429': { description: 'rate limited' } } } },
    '/mcp': { post: { summary: 'MCP over streamable HTTP (bearer token): tools search_knowledge, answer_question, find_contacts, list_deals, list_signals, list_approvals, list_connections, get_run, propose_sms, propose_tool_call', security: [{ bearer: [] }], responses: { '200': { description: 'JSON-RPC response' }, '401': { description: 'no or unknown token' } } } },
    '/a/{token}': {
      get: { summary: 'Approval decision page (does not decide)', parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'HTML page' }, '404': { description: 'unknown link' }, '410': { description: 'expired link' } } },
      post: { summary: 'Decide via the link (single use)', parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'decided' }, '409': { description: 'already decided' } } },
    },
  };
}
