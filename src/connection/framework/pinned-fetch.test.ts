import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pinnedFetch } from './pinned-fetch.js';
import { guardFetch } from './guarded-fetch.js';
import type { Resolver } from './address-policy.js';

const STRICT = { allowLoopback: false, allowPrivateNetworks: false };
const LOCAL = { allowLoopback: true, allowPrivateNetworks: false };

describe('pinnedFetch: the connection uses the checked resolution, never a second one', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(`${req.method} ${req.headers.host} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('inside');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // A name that resolves to loopback at connect time: what a rebinding DNS server answers after a
  // first, public answer. The name does not exist in real DNS, so a hit proves the connection went
  // through this resolver and nothing else.
  const rebound: Resolver = async () => ['127.0.0.1'];

  it('refuses at connect time when the name now resolves to a refused address; the server sees nothing', async () => {
    hits.length = 0;
    const err = await pinnedFetch(STRICT, rebound)(`http://rebind.invalid:${port}/secret`).then(() => null, (e: unknown) => e as { code?: string });
    expect(err?.code).toBe('address_refused');
    expect(hits).toEqual([]);
  });

  it('connects to exactly the checked addresses when the policy allows them', async () => {
    hits.length = 0;
    const res = await pinnedFetch(LOCAL, rebound)(`http://rebind.invalid:${port}/ok`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('inside');
    expect(hits).toEqual([`GET rebind.invalid:${port} /ok`]);
  });

  it('is what guardFetch uses by default: a literal loopback address is refused before any byte is sent', async () => {
    hits.length = 0;
    const err = await guardFetch(undefined, STRICT)(`http://127.0.0.1:${port}/x`).then(() => null, (e: unknown) => e as { code?: string });
    expect(err?.code).toBe('address_refused');
    const ok = await guardFetch(undefined, LOCAL)(`http://127.0.0.1:${port}/y`);
    expect(ok.status).toBe(200);
    expect(hits).toEqual([`GET 127.0.0.1:${port} /y`]);
  });
});
