import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { startExternalMcp, type ExternalMcp } from './support/external-mcp.js';

/**
 * Connections cannot be pointed at internal addresses (SSRF): on an instance that does not allow
 * loopback or private networks, creating a connection to such an address is refused with one plain
 * message — the same whether something listens there or not — and nothing is saved.
 */

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T150000Z\r\nDTEND:20260105T160000Z\r\nSUMMARY:Inspection\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
const REFUSED_LOOPBACK = 'cannot connect to that address: it is a loopback address (this machine), which this instance does not allow';

let h: Harness;
let token: string;
let feed: Server;
let feedPort: number;
let closedPort: number;
let mcp: ExternalMcp;
const feedHits: string[] = [];

const create = (kind: string, credentials: unknown) => h.api(token, 'POST', '/api/v1/connections', { kind, name: `${kind}-test`, credentials });
const saved = async () => (await h.aios.db.selectFrom('connections').select('id').execute()).length;

beforeAll(async () => {
  feed = createServer((req, res) => {
    feedHits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/calendar' }).end(ICS);
  });
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  feedPort = (feed.address() as AddressInfo).port;
  // A port with nothing listening: bind, note the port, close.
  const tmp = createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  closedPort = (tmp.address() as AddressInfo).port;
  await new Promise<void>((r) => tmp.close(() => r()));
  mcp = await startExternalMcp('mcp-secret');
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }], { config: { AIOS_ALLOW_LOOPBACK: '0', AIOS_ALLOW_PRIVATE_NETWORKS: '0' } });
  token = h.aios.cliTokens.get('acme')!;
});
afterAll(async () => {
  await h?.stop();
  await mcp?.close();
  await new Promise<void>((r) => feed.close(() => r()));
});

describe('outbound connections refuse internal addresses', () => {
  it('an ICS feed on 127.0.0.1: the same 400 whether a server listens or not, nothing saved, nothing fetched', async () => {
    const listening = await create('ics', { url: `http://127.0.0.1:${feedPort}/x.ics` });
    const nothing = await create('ics', { url: `http://127.0.0.1:${closedPort}/x.ics` });
    expect(listening.status).toBe(400);
    expect(nothing.status).toBe(400);
    expect(listening.json).toEqual(nothing.json);
    expect(listening.json).toEqual({ error: 'address_refused', message: REFUSED_LOOPBACK, fix: expect.stringMatching(/AIOS_ALLOW_LOOPBACK=1/) });
    expect(feedHits).toEqual([]);
    expect(await saved()).toBe(0);
  });

  it('odd notations and names of loopback are refused the same way', async () => {
    for (const url of [`http://localhost:${feedPort}/x.ics`, `http://2130706433:${feedPort}/x.ics`, `http://0x7f.1:${feedPort}/x.ics`, `http://127.1:${feedPort}/x.ics`, `webcal://[::1]:${feedPort}/x.ics`]) {
      const r = await create('ics', { url });
      expect(r.status, url).toBe(400);
      expect(r.json.message, url).toBe(REFUSED_LOOPBACK);
    }
    expect(feedHits).toEqual([]);
    expect(await saved()).toBe(0);
  });

  it('MCP servers on the metadata address or on loopback written as IPv4-mapped IPv6 are refused', async () => {
    const tools = { create_note: { effect: 'write' } };
    const metadata = await create('mcp', { url: 'http://169.254.169.254/', tools });
    expect(metadata.status).toBe(400);
    expect(metadata.json).toMatchObject({ error: 'address_refused', message: expect.stringMatching(/link-local address/) });
    const port = new URL(mcp.url).port;
    const mapped = await create('mcp', { url: `http://[::ffff:127.0.0.1]:${port}/mcp`, token: 'mcp-secret', tools });
    expect(mapped.status).toBe(400);
    expect(mapped.json.message).toBe(REFUSED_LOOPBACK);
    expect(mcp.calls).toEqual([]);
    expect(await saved()).toBe(0);
  });

  it('private addresses are refused unless the instance allows private networks; mail and CalDAV hosts too', async () => {
    const lan = await create('caldav', { serverUrl: 'http://192.168.1.20:5232/', username: 'u', password: 'p', calendarUrl: '/u/cal/' });
    expect(lan.status).toBe(400);
    expect(lan.json).toMatchObject({ error: 'address_refused', message: expect.stringMatching(/private-network \(LAN\) address/), fix: expect.stringMatching(/AIOS_ALLOW_PRIVATE_NETWORKS=1/) });
    const imap = await create('imap', { host: 'localhost', port: 1143, secure: false, user: 'u', password: 'p' });
    expect(imap.status).toBe(400);
    expect(imap.json.message).toBe(REFUSED_LOOPBACK);
    const smtp = await create('imap', { host: '10.0.0.25', port: 993, user: 'u', password: 'p' });
    expect(smtp.json.error).toBe('address_refused');
    expect(await saved()).toBe(0);
  });
});
