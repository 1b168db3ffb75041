import { OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { bearerAuth } from './auth.js';
import { accessRoutes } from './access-routes.js';
import { errorResponse } from './errors.js';
import { connectionRoutes } from './connection-routes.js';
import { knowledgeRoutes } from './knowledge-routes.js';
import { conversationRoutes } from './conversation-routes.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { bookingRoutes } from './booking-routes.js';
import { proposalRoutes } from './proposal-routes.js';
import { invoiceRoutes } from './invoice-routes.js';
import { signalRoutes } from './signal-routes.js';
import { emailRoutes } from './email-routes.js';
import { playbookRoutes } from './playbook-routes.js';
import { recordRoutes } from './record-routes.js';
import { auditRoutes } from './audit-routes.js';
import { onboardingRoutes } from './onboarding-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { knowledgeFilesRoutes } from './knowledge-files-routes.js';
import { connectionPollRoutes } from './connection-poll-routes.js';
import { accountRoutes } from './account-routes.js';
import { ledgerRoutes } from './ledger-routes.js';
import { documentQcRoutes } from './document-qc-routes.js';
import { clientReportRoutes } from './client-report-routes.js';
import { contentRoutes } from './content-routes.js';
import { statusRoutes } from './status-routes.js';
import { runRoutes } from './run-routes.js';
import { approvalRoutes } from './approval-routes.js';
import { contactRoutes } from './contact-routes.js';
import { outboxRoutes } from './outbox-routes.js';
import { actionRoutes } from './action-routes.js';
import { agencyRoutes } from './agency-routes.js';

/**
 * The JSON API under `/api/v1`, bearer- or session-authenticated; every query is scoped to the
 * caller's tenant. Every sub-app is an OpenAPIHono whose routes are declared with `createRoute`:
 * mounting one here puts its routes in the served document (`api-document.ts`) and in the
 * dashboard's client types (`npm run gen:api`).
 */
export function apiRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = new OpenAPIHono<{ Variables: Vars }>();
  const { db } = s;
  app.use('*', bearerAuth(db, s.clock));
  app.onError((err, c) => errorResponse(c, err, s.log));
  app.route('/knowledge', knowledgeRoutes(s));
  app.route('/bookings', bookingRoutes(s));
  app.route('/', proposalRoutes(s));
  app.route('/invoices', invoiceRoutes(s));
  app.route('/signals', signalRoutes(s));
  app.route('/emails', emailRoutes(s));
  app.route('/', accessRoutes(s));
  app.route('/', playbookRoutes(s));
  app.route('/', dashboardRoutes(s));
  app.route('/', recordRoutes(s));
  app.route('/', auditRoutes(s));
  app.route('/', onboardingRoutes(s));
  app.route('/', conversationRoutes(s));
  for (const sub of [settingsRoutes(s), knowledgeFilesRoutes(s), connectionPollRoutes(s), accountRoutes(s), ledgerRoutes(s), documentQcRoutes(s), contentRoutes(s), clientReportRoutes(s)]) app.route('/', sub);
  app.route('/', connectionRoutes({ db, log: s.log, connect: { connectors: s.connectors.list, box: s.secretBox, onCreated: (id) => s.connectors.pollNow(id), now: () => s.clock.now() } }));
  for (const sub of [statusRoutes(s), runRoutes(s), approvalRoutes(s), outboxRoutes(s), contactRoutes(s), actionRoutes(s), agencyRoutes(s)]) app.route('/', sub);
  return app;
}
