import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { networkPolicyFromEnv, type NetworkPolicy } from '../../core/config.js';
import { ConnectorError } from './connector-error.js';

/**
 * Which addresses a connector may reach (SSRF guard). A host is resolved (every address, IPv4 and
 * IPv6) and refused when ANY address is:
 * - link-local (169.254/16 — the cloud metadata address 169.254.169.254 — and fe80::/10),
 *   unspecified (0/8, ::), multicast (224/4, ff00::/8) or reserved (240/4, broadcast): always;
 * - loopback (127/8, ::1): unless the instance sets `AIOS_ALLOW_LOOPBACK=1`;
 * - private (10/8, 172.16/12, 192.168/16, 100.64/10 CGNAT, fc00::/7, fec0::/10): unless it sets
 *   `AIOS_ALLOW_PRIVATE_NETWORKS=1` (a Nextcloud on the office LAN is a real use).
 * IPv4 embedded in IPv6 (`::ffff:127.0.0.1`, `::127.0.0.1`, NAT64 `64:ff9b::7f00:1`) is judged by
 * its IPv4 address, and odd IPv4 notations (`2130706433`, `0x7f.1`, `127.1`) are normalised by
 * the WHATWG URL parser first. A refusal never connects, so its message is the same whatever
 * listens at that address.
 */

/** What kind of address an IP is. */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

/** The setting all connectors use unless a call passes its own; the runtime sets it from `AiosConfig.network`. */
let current: NetworkPolicy | null = null;

/** Sets the instance's policy (once at start, from the configuration). */
export function setOutboundPolicy(policy: NetworkPolicy): void {
  current = { ...policy };
}

/** The instance's policy: the one set at start, else read from the environment (scripts, tests). */
export function outboundPolicy(): NetworkPolicy {
  return (current ??= networkPolicyFromEnv(process.env));
}

const RANGES: Array<[AddressClass, string, number, 'ipv4' | 'ipv6']> = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', '100.64.0.0', 10, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['private', 'fec0::', 10, 'ipv6'],
];
const LISTS = new Map<AddressClass, BlockList>();
for (const [cls, net, prefix, family] of RANGES) {
  const list = LISTS.get(cls) ?? new BlockList();
  list.addSubnet(net, prefix, family);
  LISTS.set(cls, list);
}

/** The 8 groups of an IPv6 address (zone id dropped, dotted IPv4 tail folded), or null. */
function groups6(ip: string): number[] | null {
  let s = ip.split('%')[0]!.toLowerCase();
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    s = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail, extra] = s.split('::');
  if (extra !== undefined) return null;
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const all = [...h, ...Array<string>(Math.max(fill, 0)).fill('0'), ...t].map((g) => parseInt(g, 16));
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null;
}

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`) or NAT64 (`64:ff9b::/96`) IPv6 address. */
function embeddedV4(ip: string): string | null {
  const g = groups6(ip);
  if (!g) return null;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  const mapped = zeros(5) && g[5] === 0xffff;
  const compatible = zeros(6) && (g[6]! !== 0 || g[7]! > 1);
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (!mapped && !compatible && !nat64) return null;
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
}

/** Classifies an IP address (v4 or v6 text). Anything that is not an IP is `reserved`. */
export function classifyAddress(ip: string): AddressClass {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = isIP(bare.split('%')[0]!);
  if (family === 0) return 'reserved';
  if (family === 6) {
    const v4 = embeddedV4(bare);
    if (v4) return classifyAddress(v4);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const addr = bare.split('%')[0]!;
  for (const [cls, list] of LISTS) if (list.check(addr, type)) return cls;
  if (family === 4 && addr === '255.255.255.255') return 'reserved';
  return 'public';
}

/** True when the policy lets a connection reach an address of this class. */
export function isAllowed(cls: AddressClass, policy: NetworkPolicy): boolean {
  if (cls === 'public') return true;
  if (cls === 'loopback') return policy.allowLoopback;
  if (cls === 'private') return policy.allowPrivateNetworks;
  return false;
}

const LABEL: Record<Exclude<AddressClass, 'public'>, string> = {
  loopback: 'a loopback address (this machine)',
  private: 'a private-network (LAN) address',
  'link-local': 'a link-local address (such as the cloud metadata service)',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

/** Code of the error for a refused address (HTTP answers carry it as `error`). */
export const ADDRESS_REFUSED = 'address_refused';

/** The refusal: one plain message per class of address, never a word about what listens there. */
export function addressRefused(cls: Exclude<AddressClass, 'public'>): ConnectorError {
  const fix =
    cls === 'loopback'
      ? 'Use the service\'s public host name; to reach a service on this same machine, the instance must set AIOS_ALLOW_LOOPBACK=1.'
      : cls === 'private'
        ? 'Use the service\'s public host name; to reach a server on your own network (e.g. a Nextcloud in the office), the instance must set AIOS_ALLOW_PRIVATE_NETWORKS=1.'
        : 'Use the service\'s public host name: AIOS never connects to such addresses.';
  return new ConnectorError('invalid_input', `cannot connect to that address: it is ${LABEL[cls]}, which this instance does not allow`, { fix, code: ADDRESS_REFUSED });
}

/** The address refusal in `err` or its chain of causes (libraries wrap errors), else null. */
export function findAddressRefusal(err: unknown): ConnectorError | null {
  for (let e = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof ConnectorError && e.code === ADDRESS_REFUSED) return e;
  }
  return null;
}

/** Resolves a host name to all its addresses; injectable for tests. */
export type Resolver = (host: string) => Promise<string[]>;

const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** A literal IP in any notation the URL parser accepts (`2130706433`, `0x7f.1`, `[::1]`), normalised; else null. */
function literalIp(host: string): string | null {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return bare;
  try {
    const h = new URL(`http://${isIP(bare) === 6 || bare.includes(':') ? `[${bare}]` : bare}/`).hostname.replace(/^\[|\]$/g, '');
    return isIP(h) ? h : null;
  } catch {
    return null;
  }
}

/**
 * Checks a connector host (name or literal IP) and returns the addresses it may be reached at,
 * in resolver order; connect to one of THESE (pinning), not to the name again.
 * @throws ConnectorError `address_refused` when any address is refused by `policy`;
 *   ConnectorError `network` when the name does not resolve; `invalid_input` for an empty host.
 */
export async function checkHost(host: string, policy: NetworkPolicy = outboundPolicy(), resolve: Resolver = systemResolver): Promise<string[]> {
  const h = host.trim();
  if (!h) throw new ConnectorError('invalid_input', 'the host is empty', { fix: 'Give the server\'s host name, e.g. mail.example.com.' });
  const literal = literalIp(h);
  let addresses: string[];
  if (literal) addresses = [literal];
  else {
    try {
      addresses = await resolve(h);
    } catch (err) {
      throw new ConnectorError('network', `cannot find the server ${h}: the name does not resolve`, { cause: err, fix: 'Check the host name for typos; AIOS retries network errors by itself.' });
    }
    if (!addresses.length) throw new ConnectorError('network', `cannot find the server ${h}: the name has no address`, { fix: 'Check the host name for typos.' });
  }
  for (const a of addresses) {
    const cls = classifyAddress(a);
    if (cls !== 'public' && !isAllowed(cls, policy)) throw addressRefused(cls);
  }
  return addresses;
}

/**
 * Checks an http(s) URL's host ({@link checkHost}).
 * @throws ConnectorError `invalid_input` for another scheme or a malformed URL; see checkHost.
 */
export async function checkUrl(url: string | URL, policy: NetworkPolicy = outboundPolicy(), resolve?: Resolver): Promise<string[]> {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw new ConnectorError('invalid_input', `${JSON.stringify(String(url))} is not a URL`, { fix: 'Give the full address, starting with https://.' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ConnectorError('invalid_input', `only http(s) URLs can be connected, not ${u.protocol}`, { fix: 'Give the address starting with https://.' });
  return checkHost(u.hostname, policy, resolve);
}

/**
 * For socket clients (IMAP, SMTP): checks `host` and returns the address to connect to, plus the
 * name TLS must verify the certificate against (SNI) when `host` is a name. Connecting to the
 * checked address pins it: a DNS answer that changes after the check is never used.
 */
export async function pinnedTarget(host: string, policy: NetworkPolicy = outboundPolicy()): Promise<{ address: string; servername: string | undefined }> {
  const [address] = await checkHost(host, policy);
  return { address: address!, servername: literalIp(host.trim()) ? undefined : host.trim() };
}
