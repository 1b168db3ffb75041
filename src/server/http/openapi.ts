/**
 * The OpenAPI 3.1 description of AIOS's HTTP API, served at `/openapi.json`. `scopes` maps
 * `METHOD /path` (Hono form, under /api/v1) to the scope each route declares.
 */
export function openApiDocument(serverUrl: string, scopes?: Record<string, string>): { openapi: string; paths: Record<string, any> } & Record<string, unknown> {
  const list = (name: string, summary: string, params: string[] = ['limit']) => ({
    get: {
      summary,
      security: [{ bearer: [] }],
      parameters: params.map((p) => ({ name: p, in: 'query', required: false, schema: { type: p === 'limit' ? 'integer' : 'string' } })),
      responses: { '200': { description: `{ ${name}: [...] }`, content: { 'application/json': { schema: { type: 'object' } } } }, '401': { $ref: '#/components/responses/Unauthorized' } },
    },
  });
  const decide = (summary: string, bodyProps: Record<string, unknown>) => ({
    post: {
      summary,
      security: [{ bearer: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { content: { 'application/json': { schema: { type: 'object', properties: bodyProps, additionalProperties: false } } } },
      responses: { '200': { description: 'decided' }, '404': { description: 'no such approval in your tenant' }, '409': { description: 'already decided or expired (harmless)' } },
    },
  });
  const bookingAct = (summary: string) => ({
    post: {
      summary,
      security: [{ bearer: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '202': { description: '{ bookingId, runId, requested }: the booking\'s run does the rest' }, '404': { description: 'no such booking in your tenant' }, '409': { description: 'not an upcoming booking (held, cancelled or over)' } },
    },
  });
  const signalAct = (summary: string, bodyProps: Record<string, unknown>) => ({
    post: {
      summary,
      security: [{ bearer: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { content: { 'application/json': { schema: { type: 'object', properties: bodyProps, additionalProperties: false } } } },
      responses: { '200': { description: '{ signal }' }, '400': { description: 'bad length or time (the fix says what to write)' }, '404': { description: 'no such signal in your tenant' }, '409': { description: 'already resolved (or dismissed, for snooze)' } },
    },
  });
  const form = (summary: string) => ({
    post: {
      summary,
      parameters: [{ name: 'X-Twilio-Signature', in: 'header', required: false, schema: { type: 'string' }, description: 'required when an auth token is configured' }],
      requestBody: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } } },
      responses: { '200': { description: 'TwiML' }, '400': { description: 'invalid fields' }, '403': { description: 'bad signature' }, '404': { description: 'unknown To number' }, '413': { description: 'too large' } },
    },
  });
  const doc = {
    openapi: '3.1.0',
    info: { title: 'AIOS API', version: '1', description: 'Self-hosted AI operating system for owner-operated businesses.' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API token from `aios token create`. Each operation names the scope it needs: read, propose, decide or admin' } },
      responses: { Unauthorized: { description: 'missing, unknown, revoked or expired token' } },
    },
    paths: {
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
      '/api/v1/status': { get: { summary: 'Tenant overview: signals, approvals, runs, ledger totals', security: [{ bearer: [] }], responses: { '200': { description: 'status' } } } },
      '/api/v1/signals': list('signals', 'Signals, newest first; status: open | handling | snoozed | resolved | dismissed | all; kind: e.g. invoice_overdue', ['limit', 'status', 'kind']),
      '/api/v1/signals/{id}/snooze': signalAct('Snooze a signal: {"for": "2d"} (30m, 4h, 2d, 1w) or {"until": ISO 8601}; it wakes to open when due', { for: { type: 'string' }, until: { type: 'string', format: 'date-time' } }),
      '/api/v1/signals/{id}/dismiss': signalAct('Dismiss a signal for good (its occurrence is never raised again); the reason is audited', { reason: { type: 'string', maxLength: 500 } }),
      '/api/v1/runs': list('runs', 'Playbook runs, newest first'),
      '/api/v1/runs/{id}': { get: { summary: 'One run with its steps', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '{ run, steps }' }, '404': { description: 'not found' } } } },
      '/api/v1/runs/{id}/retry': { post: { summary: 'Retry a failed run from its failed step (earlier steps are not repeated)', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '202': { description: '{ runId, fromStep, stepId, error }' }, '404': { description: 'no such run in your tenant' }, '409': { description: 'the run is not failed' } } } },
      '/api/v1/playbooks': list('playbooks', 'Playbooks: id, title, version, trigger, enabled, settings, runs in the last 30 days', []),
      '/api/v1/playbooks/{id}/enable': { post: { summary: 'Enable a playbook (written into tenant.yaml playbooks.<id>.enabled)', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '{ playbook }' }, '404': { description: 'unknown playbook' } } } },
      '/api/v1/playbooks/{id}/disable': { post: { summary: 'Disable a playbook (new signals start no run; runs in flight finish)', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '{ playbook }' }, '404': { description: 'unknown playbook' } } } },
      '/api/v1/playbooks/{id}/settings': { patch: { summary: "Change settings (validated by the playbook's schema, written into tenant.yaml keeping its comments)", security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { '200': { description: '{ playbook }' }, '400': { description: 'which field is wrong and what to send' }, '404': { description: 'unknown playbook' } } } },
      '/api/v1/playbooks/{id}/run': { post: { summary: 'Run a playbook now on a subject and data (a signal of its trigger kind); the policy decides every effect', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { subject: { type: 'string' }, data: { type: 'object' } }, required: ['subject'], additionalProperties: false } } } }, responses: { '202': { description: '{ signalId, runId }' }, '404': { description: 'unknown playbook' } } } },
      '/api/v1/playbooks/{id}/shadow': { post: { summary: 'Replay the playbook over past signals with no external effect: what it would have sent, asked, changed, and the minutes saved', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { since: { type: 'string', description: '30d, 12h, or an ISO date' }, until: { type: 'string' }, limit: { type: 'integer' }, settings: { type: 'object' } }, additionalProperties: false } } } }, responses: { '200': { description: '{ shadow: report }' }, '400': { description: 'bad since or settings' }, '404': { description: 'unknown playbook' } } } },
      '/api/v1/approvals': list('approvals', 'Approvals (default: pending); each has `untrusted`: [{label, text}], the parts that came from outside the business (not written by the owner or AIOS)', ['limit', 'status']),
      '/api/v1/approvals/{id}/approve': decide('Approve, optionally with an edited body', { body: { type: 'string' } }),
      '/api/v1/approvals/{id}/reject': decide('Reject with a reason', { reason: { type: 'string' } }),
      '/api/v1/outbox': list('outbox', 'External effects, newest first'),
      '/api/v1/ledger': list('entries', 'Ledger entries and totals'),
      '/api/v1/contacts': list('contacts', 'Contacts'),
      '/api/v1/contacts/{id}/messages': { get: { summary: 'A contact’s messages on all channels', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '{ messages }' } } } },
      '/api/v1/deals': list('deals', 'Deals'),
      '/api/v1/conversations': list('conversations', 'Conversations (state open | waiting_for_owner, waiting_since, handoff_code)', ['state']),
      '/api/v1/conversations/{id}/reply': { post: { summary: 'The owner answers a conversation: sent on the customer’s channel through the policy gate (202; clears waiting_for_owner once sent)', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { body: { type: 'string', maxLength: 1600 }, idempotencyKey: { type: 'string' } }, required: ['body'], additionalProperties: false } } } }, responses: { '202': { description: '{ conversationId, signalId, runId, duplicate }' }, '400': { description: 'empty or too long body' }, '404': { description: 'no such conversation in your tenant' }, '409': { description: 'not an SMS conversation' } } } },
      '/api/v1/contacts/{id}': { patch: { summary: 'Change a contact: reviewOptOut (never ask for a review)', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { reviewOptOut: { type: 'boolean' } }, required: ['reviewOptOut'], additionalProperties: false } } } }, responses: { '200': { description: '{ contact: { id, reviewOptOut } }' }, '404': { description: 'no such contact in your tenant' } } } },
      '/api/v1/emails': list('emails', 'Triaged email, newest first: category, reason, who decided (classifier | model | owner), confidence', ['category', 'limit']),
      '/api/v1/emails/{id}/category': { post: { summary: "Relabel a triaged email (the owner's correction): a training example; the mailbox label follows through the outbox", security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { category: { type: 'string', enum: ['lead', 'customer_request', 'scheduling', 'billing', 'vendor', 'newsletter', 'spam', 'personal'] } }, required: ['category'] } } } }, responses: { '200': { description: '{ email, previous, changed, runId }' }, '400': { description: 'unknown category' }, '404': { description: 'no such email' } } } },
      '/api/v1/bookings': list('bookings', 'Upcoming bookings (booked or confirmed, not ended), earliest first', []),
      '/api/v1/bookings/{id}/done': bookingAct('The job is done: deal done, ledger, review request follows (job_done)'),
      '/api/v1/bookings/{id}/no-show': bookingAct('The customer did not show up: ledger no_show, no review request'),
      '/api/v1/bookings/{id}/cancel': bookingAct('Cancel the booking: calendar event cancelled, deal lost, customer texted'),
      '/api/v1/deals/{id}/proposal': { post: { summary: 'Draft a proposal for the deal (line items priced from knowledge only); always sent after your approval', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { notes: { type: 'string' }, idempotencyKey: { type: 'string' } }, additionalProperties: false } } } }, responses: { '202': { description: '{ signalId, runId, duplicate }' }, '404': { description: 'no such deal in your tenant' } } } },
      '/api/v1/proposals': list('proposals', 'Proposals (without the PDF), newest first', ['deal']),
      '/api/v1/proposals/{id}/pdf': { get: { summary: 'The PDF of one proposal', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'application/pdf' }, '404': { description: 'not found' } } } },
      '/api/v1/invoices': list('invoices', 'Invoices with what is owed and their chase (status, reminders sent); unpaid first', ['status', 'limit']),
      '/api/v1/invoices/{id}/paid': { post: { summary: 'Mark an invoice paid (cash, cheque, transfer): its reminders stop; ledger invoice_recovered when reminded', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '{ invoiceId, status, chaseStopped, alreadyPaid }' }, '404': { description: 'no such invoice in your tenant' }, '409': { description: 'the invoice is void' } } } },
      '/api/v1/actions/sms': { post: { summary: 'Propose a text; the policy decides (send, ask the owner, hold, refuse)', security: [{ bearer: [] }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { to: { type: 'string' }, body: { type: 'string' }, idempotencyKey: { type: 'string' } }, required: ['to', 'body'] } } } }, responses: { '202': { description: '{ signalId, runId }' }, '400': { description: 'invalid' } } } },
      '/api/v1/knowledge/sync': { post: { summary: 'Index the knowledge folder now (unchanged files skipped); failures listed with reasons', security: [{ bearer: [] }], responses: { '200': { description: '{ stats, failures, expired }' } } } },
      '/api/v1/knowledge/search': list('hits', 'Full-text search (q, kind, audience, limit)', ['q', 'kind', 'audience', 'limit']),
      '/api/v1/knowledge/ask': { post: { summary: 'Grounded answer with citations, or unknown (records a gap)', security: [{ bearer: [] }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { question: { type: 'string' } }, required: ['question'] } } } }, responses: { '200': { description: '{ status, text, citations, confidence }' } } } },
      '/api/v1/knowledge/gaps': list('gaps', 'Questions AIOS could not answer', ['status']),
      '/api/v1/knowledge/gaps/{id}/answer': { post: { summary: "The owner's answer: written as a FAQ file and indexed", security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } } } }, responses: { '200': { description: '{ gap, file, sync }' } } } },
      '/api/v1/knowledge/facts': list('facts', 'Structured facts (prices, hours, service area, booking link, payment terms)', ['type']),
      '/api/v1/knowledge/groundedness': { post: { summary: 'Which price or policy claims in a draft the knowledge does not support', security: [{ bearer: [] }], responses: { '200': { description: '{ grounded, unsupported }' } } } },
      '/api/v1/actions/tool': { post: { summary: 'Propose a call of a declared tool on a connected MCP server; the declared effect and the policy decide', security: [{ bearer: [] }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { connectionId: { type: 'string' }, tool: { type: 'string' }, arguments: { type: 'object' }, summary: { type: 'string' }, idempotencyKey: { type: 'string' } }, required: ['connectionId', 'tool'] } } } }, responses: { '202': { description: '{ signalId, runId }' }, '404': { description: 'no such MCP connection' } } } },
      '/api/v1/connections': {
        ...list('connections', 'Connections: status, last sync, backlog, last error (never credentials)'),
        post: { summary: 'Connect a service; credentials are validated against it, then stored encrypted', security: [{ bearer: [] }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { kind: { type: 'string', enum: ['imap', 'caldav', 'ics', 'stripe', 'mcp'] }, name: { type: 'string' }, credentials: { type: 'object' } }, required: ['kind', 'credentials'] } } } }, responses: { '201': { description: '{ connection }' }, '400': { description: 'invalid or unreachable, in plain words' } } },
      },
      '/api/v1/quarantine': list('items', 'Items that could not be processed, with the reason'),
      '/api/v1/imports/{kind}': { post: { summary: 'CSV import of contacts or invoices (HubSpot, Pipedrive, QuickBooks, Xero); ?dryRun=1, ?map=Col=field', security: [{ bearer: [] }], parameters: [{ name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['contacts', 'invoices'] } }], requestBody: { content: { 'text/csv': { schema: { type: 'string' } } } }, responses: { '200': { description: 'per-row report' }, '413': { description: 'over 50 MB' } } } },
      '/api/v1/tokens': {
        ...list('tokens', 'Tokens of your tenant: principal, scopes, status (active | expired | revoked), last use, expiry; never the secret', []),
        post: {
          summary: 'Create a token (shown once). For an existing principal, or a machine principal by kind and name (default: assistant, read + propose). Assistants never hold decide or admin; nobody grants a scope it lacks',
          security: [{ bearer: [] }],
          requestBody: { content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, principal: { type: 'string' }, kind: { type: 'string', enum: ['assistant', 'integration'] }, scopes: { type: 'array', items: { type: 'string', enum: ['read', 'propose', 'decide', 'admin'] } }, expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 } }, required: ['name'] } } } },
          responses: { '201': { description: '{ id, token, name, principal, scopes, expiresAt }' }, '400': { description: 'invalid body' }, '404': { description: 'no such principal in your tenant' } },
        },
      },
      '/api/v1/tokens/{id}': { delete: { summary: 'Revoke a token (refused from the next request on)', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '{ token, alreadyRevoked }' }, '404': { description: 'not found' } } } },
      '/api/v1/tokens/{id}/revoke': { post: { summary: 'Revoke a token (same as DELETE)', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '{ token, alreadyRevoked }' }, '404': { description: 'not found' } } } },
      '/api/v1/users': {
        ...list('users', 'People of your tenant with their role', []),
        post: { summary: 'Add a person (owner | staff | implementer); the email identifies them across businesses', security: [{ bearer: [] }], requestBody: { content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, email: { type: 'string' }, role: { type: 'string', enum: ['owner', 'staff', 'implementer'] } }, required: ['name', 'email', 'role'] } } } }, responses: { '201': { description: '{ user }' }, '409': { description: 'already a user here' } } },
      },
      '/api/v1/users/{id}/password': { put: { summary: 'Set a dashboard password: your own, or (owners) that of a user who works for no other business; ends their sessions', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { password: { type: 'string', minLength: 10 } }, required: ['password'], additionalProperties: false } } } }, responses: { '200': { description: '{ user, loggedOut }' }, '400': { description: 'too short or too long' }, '404': { description: 'not found' } } } },
      '/api/v1/users/{id}': { delete: { summary: 'Remove a person from your tenant and revoke their tokens here', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '{ user, revokedTokens }' }, '404': { description: 'not found' }, '409': { description: 'the last owner' } } } },
    },
  };
  if (scopes) withScopes(doc.paths, scopes);
  return doc;
}

/**
 * Writes each /api/v1 operation's required scope (from the routes' `requireScope`) as the role
 * name of its bearer requirement (OpenAPI 3.1 allows role names for non-OAuth schemes) and adds
 * the 403 it answers without it.
 */
function withScopes(paths: Record<string, Record<string, { security?: unknown; responses?: Record<string, unknown> }>>, scopes: Record<string, string>): void {
  for (const [path, ops] of Object.entries(paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    const route = path.slice('/api/v1'.length).replace(/\{(\w+)\}/g, ':$1');
    for (const [method, op] of Object.entries(ops)) {
      const scope = scopes[`${method.toUpperCase()} ${route}`];
      if (!scope) continue;
      op.security = [{ bearer: [scope] }];
      op.responses = { ...op.responses, '403': { description: `the token lacks the ${scope} scope (or, for a decision, its principal proposed the action)` } };
    }
  }
}
