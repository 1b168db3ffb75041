import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Services } from './services.js';
import { authResponses, errorResponseDoc, openApiApp, scoped } from './openapi-app.js';
import { InputError } from '../../core/errors.js';
import { liveFeedOf, LIVE_MAX_PER_TENANT, type LiveChange } from '../live-feed.js';

/** A comment line every this many ms keeps proxies from closing an idle stream. */
export const LIVE_HEARTBEAT_MS = 15_000;

const route = createRoute({
  method: 'get', path: '/live',
  summary: 'Server-sent events of your business: `change` events {type: approval | message | signal | run, id, status, conversationId?} as they happen; a comment every 15 s',
  ...scoped('read'),
  responses: {
    200: { content: { 'text/event-stream': { schema: z.string().describe('event: change\\ndata: {"type":"approval","id":"apr_…","status":"pending"}') } }, description: 'the stream (stays open)' },
    503: errorResponseDoc('AIOS is shutting down'),
    429: errorResponseDoc(`the business already has ${LIVE_MAX_PER_TENANT} open live streams`),
    ...authResponses('read'),
  },
});

/**
 * `GET /live` (read, under `/api/v1`): the business's changes as server-sent events, only those
 * of the token's or session's business. Streams per business are bounded; each ends when the
 * client leaves or AIOS shuts down (`liveFeedOf(services).close()`).
 */
export function liveRoutes(s: Services) {
  const app = openApiApp(s, 'Open GET /api/v1/live with no parameters (EventSource).');
  app.openapi(route, async (c) => {
    const t = c.get('tenantId');
    const feed = liveFeedOf(s);
    let push: ((ch: LiveChange) => void) | null = null;
    let finish: () => void = () => undefined;
    const ended = new Promise<void>((r) => (finish = r));
    const unsubscribe = feed.subscribe(t, { send: (ch) => push?.(ch), end: () => finish() });
    if (!unsubscribe && feed.isClosed) throw new InputError('AIOS is shutting down', { status: 503, code: 'shutting_down', fix: 'Reload the page in a minute, when AIOS is back.' });
    if (!unsubscribe) throw new InputError(`this business already has ${LIVE_MAX_PER_TENANT} open live streams`, { status: 429, code: 'too_many_streams', fix: 'Close other dashboard tabs, or wait a minute and reload.' });
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => finish());
      const queue: LiveChange[] = [];
      let wake: () => void = () => undefined;
      push = (ch) => {
        queue.push(ch);
        wake();
      };
      const beat = setInterval(() => void stream.write(': ping\n\n').catch(() => finish()), LIVE_HEARTBEAT_MS);
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ tenantId: t }), retry: 3000 });
        while (!stream.aborted && !stream.closed) {
          while (queue.length) await stream.writeSSE({ event: 'change', data: JSON.stringify(queue.shift()) });
          const more = new Promise<void>((r) => (wake = r));
          if (await Promise.race([ended.then(() => true), more.then(() => false)])) break;
        }
      } finally {
        clearInterval(beat);
        unsubscribe();
      }
    }, async () => {
      unsubscribe();
    });
  });
  return app;
}
