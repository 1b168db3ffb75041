import { OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { todayRoutes } from './today-routes.js';
import { approvalInboxRoutes } from './approval-inbox-routes.js';
import { approvalBatchRoutes } from './approval-batch-routes.js';
import { conversationInboxRoutes } from './conversation-inbox-routes.js';
import { liveRoutes } from './live-routes.js';
import { briefRoutes } from './brief-routes.js';

/**
 * The owner's cockpit routes (mounted under `/api/v1`, after bearer/session auth): Today, the
 * approvals inbox (enriched list, batch decisions, reason → knowledge), the conversation inbox,
 * the live event stream and the daily brief.
 */
export function dashboardRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = new OpenAPIHono<{ Variables: Vars }>();
  for (const sub of [todayRoutes(s), approvalInboxRoutes(s), approvalBatchRoutes(s), conversationInboxRoutes(s), liveRoutes(s), briefRoutes(s)]) app.route('/', sub);
  return app;
}
