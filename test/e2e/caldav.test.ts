import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { reachable } from './services.js';
import { makeTestCalendar, SERVER } from './radicale.js';
import { createCalDavConnector, type CalDavCredentials } from '../../src/connection/calendar/caldav-connector.js';
import type { CalDavCursor } from '../../src/connection/calendar/caldav-sync.js';
import { davFetch } from '../../src/connection/calendar/dav-http.js';
import { ConnectorError } from '../../src/connection/framework/connector-error.js';
import type { ConnectorContext, PollResult } from '../../src/connection/framework/connector.js';

const connector = createCalDavConnector({ batchSize: 500 });
const trigger = connector.polling![0]!;
const action = (id: string) => connector.actions!.find((a) => a.id === id)!;

function ctxFor(creds: Partial<CalDavCredentials>): ConnectorContext<CalDavCredentials> {
  return { tenantId: 'tn_e2e', connectionId: 'cn_e2e', credentials: connector.credentials.parse({ serverUrl: SERVER, username: 'test', password: 'test', timeZone: 'America/Toronto', ...creds }), now: () => new Date() };
}

describe('CalDAV connector against Radicale', () => {
  let calUrl = '';
  let ctx: ConnectorContext<CalDavCredentials>;
  let cursor: CalDavCursor;
  const poll = async (): Promise<PollResult<CalDavCursor>> => {
    const r = await trigger.poll(ctx, cursor);
    cursor = r.nextCursor;
    return r;
  };

  beforeAll(async () => {
    if (!(await reachable('127.0.0.1', 5232))) throw new Error('Radicale is not reachable on 127.0.0.1:5232; run: sudo scripts/test-services.sh up');
    const name = `e2e-${randomBytes(4).toString('hex')}`;
    calUrl = await makeTestCalendar(name);
    ctx = ctxFor({ calendarUrl: calUrl });
    cursor = trigger.initialCursor();
  });

  it('validates, also finding the calendar by display name', async () => {
    await connector.validate(ctx);
    const byName = ctxFor({ calendarName: new URL(calUrl).pathname.split('/')[2]! });
    await connector.validate(byName);
    await expect(connector.validate(ctxFor({ calendarName: 'no such calendar' }))).rejects.toMatchObject({ kind: 'invalid_input' });
  });

  it('creates, updates, cancels and deletes; each poll sees exactly the changes', async () => {
    expect((await poll()).items).toEqual([]);
    expect(cursor.syncToken).toBeTruthy();

    const a = await action('calendar.create').run(ctx, action('calendar.create').input.parse({ summary: 'Site visit', start: '2026-03-09T13:00:00Z', end: '2026-03-09T14:00:00Z', attendees: [{ email: 'ann@example.com', name: 'Ann' }] }), 'run1:step1');
    const b = await action('calendar.create').run(ctx, action('calendar.create').input.parse({ summary: 'Call', start: '2026-03-10T15:00:00Z', end: '2026-03-10T15:30:00Z' }), 'run2:step1');
    expect(a.changed && b.changed).toBe(true);
    // Replaying the same idempotency key creates nothing new.
    const again = await action('calendar.create').run(ctx, action('calendar.create').input.parse({ summary: 'Site visit', start: '2026-03-09T13:00:00Z', end: '2026-03-09T14:00:00Z' }), 'run1:step1');
    expect(again).toMatchObject({ uid: a.uid, changed: false });

    let r = await poll();
    expect(r.items.map((i) => [i.type, (i.payload as { uid: string }).uid]).sort()).toEqual([['calendar.event.created', a.uid], ['calendar.event.created', b.uid]].sort());
    const created = r.items.find((i) => (i.payload as { uid: string }).uid === a.uid)!.payload as { events: Array<Record<string, unknown>> };
    expect(created.events[0]).toMatchObject({ summary: 'Site visit', start: '2026-03-09T13:00:00.000Z', attendees: [{ email: 'ann@example.com', name: 'Ann', partstat: 'NEEDS-ACTION' }] });

    await action('calendar.update').run(ctx, { uid: a.uid, summary: 'Site visit (moved)', start: '2026-03-09T14:00:00Z', end: '2026-03-09T15:00:00Z' }, 'run1:step2');
    await action('calendar.cancel').run(ctx, { uid: b.uid, mode: 'cancel' }, 'run2:step2');
    r = await poll();
    const byUid = new Map(r.items.map((i) => [(i.payload as { uid: string }).uid, i]));
    expect(r.items.map((i) => i.type)).toEqual(['calendar.event.changed', 'calendar.event.changed']);
    expect((byUid.get(a.uid)!.payload as { events: Array<Record<string, unknown>> }).events[0]).toMatchObject({ summary: 'Site visit (moved)', start: '2026-03-09T14:00:00.000Z', sequence: 1 });
    expect((byUid.get(b.uid)!.payload as { events: Array<Record<string, unknown>> }).events[0]).toMatchObject({ status: 'cancelled' });

    expect((await poll()).items).toEqual([]);

    await action('calendar.cancel').run(ctx, { uid: a.uid, mode: 'delete' }, 'run1:step3');
    r = await poll();
    expect(r.items.map((i) => [i.type, i.payload.href])).toEqual([['calendar.event.deleted', new URL(a.href).pathname]]);
    // Deleting again is harmless.
    expect(await action('calendar.cancel').run(ctx, { uid: a.uid, mode: 'delete' }, 'run1:step3')).toMatchObject({ changed: false });
    expect(Object.keys(cursor.etags)).toEqual([new URL(b.href).pathname]);
  });

  it('falls back to ETag comparison when the sync-token is refused', async () => {
    const c = await action('calendar.create').run(ctx, action('calendar.create').input.parse({ summary: 'Late add', start: '2026-03-11T13:00:00Z', end: '2026-03-11T13:30:00Z' }), 'run3:step1');
    const stale: CalDavCursor = { syncToken: 'http://radicale.org/ns/sync/0000000000000000000000000000000000000000000000000000000000000000', etags: cursor.etags };
    const r = await trigger.poll(ctx, stale);
    expect(r.items.map((i) => [i.type, (i.payload as { uid: string }).uid])).toEqual([['calendar.event.created', c.uid]]);
    expect(r.nextCursor.syncToken).toBeTruthy();
  });

  it('uses ETag listing when the server has no sync-collection', async () => {
    // A fetch that answers every sync-collection REPORT like a server without RFC 6578 support.
    const noSync: typeof fetch = async (input, init) => (init?.method === 'REPORT' && String(init.body).includes('sync-collection') ? new Response('not supported', { status: 400 }) : fetch(input, init));
    const plain = createCalDavConnector({ fetch: noSync }).polling![0]!;
    const first = await plain.poll(ctx, plain.initialCursor());
    expect(first.nextCursor.syncToken).toBeNull();
    const n = Object.keys(first.nextCursor.etags).length;
    expect(first.items).toHaveLength(n);
    const d = await action('calendar.create').run(ctx, action('calendar.create').input.parse({ summary: 'Another', start: '2026-03-12T13:00:00Z', end: '2026-03-12T13:30:00Z' }), 'run4:step1');
    const second = await plain.poll(ctx, first.nextCursor);
    expect(second.items.map((i) => (i.payload as { uid: string }).uid)).toEqual([d.uid]);
    await action('calendar.cancel').run(ctx, { uid: d.uid, mode: 'delete' }, 'run4:step2');
    const third = await plain.poll(ctx, second.nextCursor);
    expect(third.items.map((i) => i.type)).toEqual(['calendar.event.deleted']);
  });

  it('reports an unreachable server as a retryable network error', async () => {
    const bad = ctxFor({ serverUrl: 'http://127.0.0.1:1/', calendarUrl: 'http://127.0.0.1:1/test/x/' });
    const err = await trigger.poll(bad, trigger.initialCursor()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'network', retryable: true });
  });
});
