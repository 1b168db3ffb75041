import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkHost, checkUrl, classifyAddress, pinnedTarget } from './address-policy.js';
import { guardFetch } from './guarded-fetch.js';
import { loadConfig } from '../../core/config.js';

const STRICT = { allowLoopback: false, allowPrivateNetworks: false };
const LAN = { allowLoopback: false, allowPrivateNetworks: true };
const LOCAL = { allowLoopback: true, allowPrivateNetworks: false };

const refusal = async (p: Promise<unknown>) => {
  const err = (await p.then(() => null, (e: unknown) => e)) as { code?: string; message?: string; fix?: string } | null;
  expect(err, 'expected a refusal').not.toBeNull();
  return err!;
};

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.1.2', 'loopback'], ['::1', 'loopback'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'], ['64:ff9b::7f00:1', 'loopback'], ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
    ['169.254.169.254', 'link-local'], ['::ffff:169.254.169.254', 'link-local'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', 'unspecified'], ['::', 'unspecified'], ['224.0.0.251', 'multicast'], ['ff02::1', 'multicast'], ['255.255.255.255', 'reserved'],
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.10', 'private'], ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'], ['::ffff:10.0.0.1', 'private'],
    ['8.8.8.8', 'public'], ['172.32.0.1', 'public'], ['100.128.0.1', 'public'], ['2606:4700::1111', 'public'], ['::ffff:8.8.8.8', 'public'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });
});

describe('checkHost and checkUrl', () => {
  it('refuses loopback in any notation, and names the setting that would allow it', async () => {
    for (const url of ['http://127.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://017700000001/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]:8080/mcp', 'http://localhost:5232/']) {
      const err = await refusal(checkUrl(url, STRICT));
      expect(err.code, url).toBe('address_refused');
      expect(err.message).toBe('cannot connect to that address: it is a loopback address (this machine), which this instance does not allow');
      expect(err.fix).toMatch(/AIOS_ALLOW_LOOPBACK=1/);
    }
    await expect(checkUrl('http://localhost:5232/', LOCAL)).resolves.toContain('127.0.0.1');
  });

  it('refuses link-local (the metadata address) and unspecified addresses even with every allowance', async () => {
    const all = { allowLoopback: true, allowPrivateNetworks: true };
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://0.0.0.0:4400/', 'http://[::]/', 'http://2852039166/']) {
      expect((await refusal(checkUrl(url, all))).code, url).toBe('address_refused');
    }
  });

  it('private ranges are an instance setting', async () => {
    for (const host of ['10.0.0.5', '192.168.1.20', '172.20.1.1', '100.64.1.1', 'fd00::5']) {
      const err = await refusal(checkHost(host, STRICT));
      expect(err.message).toMatch(/private-network \(LAN\) address/);
      expect(err.fix).toMatch(/AIOS_ALLOW_PRIVATE_NETWORKS=1/);
      await expect(checkHost(host, LAN)).resolves.toHaveLength(1);
    }
    expect((await refusal(checkHost('127.0.0.1', LAN))).code).toBe('address_refused');
  });

  it('refuses a name when ANY of its addresses is refused', async () => {
    const resolve = async () => ['93.184.215.14', '10.0.0.7'];
    expect((await refusal(checkHost('intranet.example', STRICT, resolve))).code).toBe('address_refused');
    await expect(checkHost('www.example', STRICT, async () => ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'])).resolves.toHaveLength(2);
    const nx = await refusal(checkHost('nowhere.invalid', STRICT, async () => { throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }); }));
    expect(nx.code).toBe('connector_network');
  });

  it('refuses other schemes', async () => {
    expect((await refusal(checkUrl('file:///etc/passwd', STRICT))).code).toBe('connector_invalid_input');
    expect((await refusal(checkUrl('gopher://example.com/', STRICT))).code).toBe('connector_invalid_input');
  });

  it('pins socket clients to the checked address and keeps the name for TLS', async () => {
    await expect(pinnedTarget('localhost', LOCAL)).resolves.toMatchObject({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/), servername: 'localhost' });
    await expect(pinnedTarget('127.0.0.1', LOCAL)).resolves.toEqual({ address: '127.0.0.1', servername: undefined });
    expect((await refusal(pinnedTarget('localhost', STRICT))).code).toBe('address_refused');
  });

  it('reads the allowances from the environment, off by default', () => {
    expect(loadConfig({}).network).toEqual(STRICT);
    expect(loadConfig({ AIOS_ALLOW_LOOPBACK: '1', AIOS_ALLOW_PRIVATE_NETWORKS: 'true' }).network).toEqual({ allowLoopback: true, allowPrivateNetworks: true });
    expect(() => loadConfig({ AIOS_ALLOW_LOOPBACK: 'maybe' })).toThrow(/AIOS_ALLOW_LOOPBACK: must be 1 or 0/);
  });
});

describe('guardFetch', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      if (req.url === '/to-metadata') res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      else if (req.url === '/to-self') res.writeHead(301, { location: '/feed.ics' }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else res.writeHead(200, { 'content-type': 'text/calendar' }).end('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('never sends a byte to a refused address', async () => {
    hits.length = 0;
    expect((await refusal(guardFetch(fetch, STRICT)(`${base}/feed.ics`))).code).toBe('address_refused');
    expect(hits).toEqual([]);
  });

  it('follows redirects one checked hop at a time: a redirect to the metadata address is refused', async () => {
    const f = guardFetch(fetch, LOCAL);
    const ok = await f(`${base}/to-self`, { headers: { authorization: 'Basic x' } });
    expect(ok.status).toBe(200);
    expect(hits.slice(-2)).toEqual(['GET /to-self Basic x', 'GET /feed.ics Basic x']);
    expect((await refusal(f(`${base}/to-metadata`))).code).toBe('address_refused');
    expect((await refusal(f(`${base}/loop`))).message).toMatch(/too many redirects/);
  });
});
