import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIcsFeedConnector, type IcsFeedCredentials, type IcsFeedCursor } from './ics-feed.js';
import type { ConnectorContext } from '../framework/connector.js';

const ev = (uid: string, summary: string) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTART:20260310T150000Z', 'DURATION:PT1H', `SUMMARY:${summary}`, 'END:VEVENT'];
const cal = (...events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');

describe('ICS feed subscription', () => {
  let body = cal(ev('a', 'A'), ev('b', 'B'));
  let etag = '"v1"';
  let gets = 0;
  let notModified = 0;
  let server: Server;
  let ctx: ConnectorContext<IcsFeedCredentials>;
  const connector = createIcsFeedConnector();
  const t = connector.polling![0]!;

  beforeAll(async () => {
    server = createServer((req, res) => {
      gets++;
      if (req.url === '/gone') return void res.writeHead(404).end();
      if (req.headers['if-none-match'] === etag) {
        notModified++;
        return void res.writeHead(304).end();
      }
      res.writeHead(200, { 'content-type': 'text/calendar', etag }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.ics`;
    ctx = { tenantId: 't', connectionId: 'c', credentials: connector.credentials.parse({ url, timeZone: 'America/Toronto' }), now: () => new Date('2026-03-01T00:00:00Z') };
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reports created, then nothing (304), then changed and deleted', async () => {
    await connector.validate(ctx);
    let cursor: IcsFeedCursor = t.initialCursor();
    let r = await t.poll(ctx, cursor);
    expect(r.items.map((i) => [i.type, i.payload.key])).toEqual([['calendar.event.created', 'a'], ['calendar.event.created', 'b']]);
    cursor = r.nextCursor;

    r = await t.poll(ctx, cursor);
    expect(r.items).toEqual([]);
    expect(notModified).toBe(1);

    body = cal(ev('a', 'A renamed'), ev('c', 'C'));
    etag = '"v2"';
    r = await t.poll(ctx, cursor);
    expect(r.items.map((i) => [i.type, i.payload.key])).toEqual([['calendar.event.changed', 'a'], ['calendar.event.created', 'c'], ['calendar.event.deleted', 'b']]);
    cursor = r.nextCursor;

    // A broken download reports nothing deleted and keeps the cursor.
    body = 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n';
    etag = '"v3"';
    r = await t.poll(ctx, cursor);
    expect(r.items).toEqual([]);
    expect(r.quarantined?.length).toBe(1);
    expect(r.nextCursor).toEqual(cursor);
    expect(gets).toBeGreaterThan(3);
  });

  it('maps a missing feed to invalid_input', async () => {
    const gone = { ...ctx, credentials: { ...ctx.credentials, url: ctx.credentials.url.replace('/feed.ics', '/gone') } };
    await expect(t.poll(gone, t.initialCursor())).rejects.toMatchObject({ kind: 'invalid_input' });
  });
});
