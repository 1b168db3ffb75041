import { isIP, type LookupFunction } from 'node:net';
import type { Agent } from 'undici';
import type { NetworkPolicy } from '../../core/config.js';
import { checkHost, findAddressRefusal, type Resolver } from './address-policy.js';

/**
 * A `fetch` whose connections resolve the host ONCE, through the address policy: the addresses a
 * socket connects to are exactly the addresses that were checked, so a DNS answer that changes
 * between a check and the connect (rebinding: public at validation, 127.0.0.1 at use) cannot
 * reach a refused address. Literal IPs never reach the lookup; `guardFetch` checks them before.
 * One undici Agent (connection pool) per policy and resolver. undici (about 19 MiB resident) is
 * loaded on the first request, not at start: most instances make none for a long time.
 * @throws ConnectorError `address_refused` (unwrapped from fetch's "fetch failed") for a refused address
 */
export function pinnedFetch(policy: NetworkPolicy, resolve?: Resolver): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    try {
      // undici's own fetch and Agent (same package version): the global fetch would take a
      // dispatcher from another undici copy only by luck.
      const undici = await import('undici');
      const dispatcher = agentFor(undici.Agent, policy, resolve);
      return (await undici.fetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as Response;
    } catch (err) {
      throw findAddressRefusal(err) ?? err;
    }
  }) as typeof fetch;
}

const agents = new WeakMap<NetworkPolicy, Map<Resolver | undefined, Agent>>();

function agentFor(AgentClass: typeof Agent, policy: NetworkPolicy, resolve: Resolver | undefined): Agent {
  let byResolver = agents.get(policy);
  if (!byResolver) agents.set(policy, (byResolver = new Map()));
  let agent = byResolver.get(resolve);
  if (!agent) byResolver.set(resolve, (agent = new AgentClass({ connect: { lookup: checkedLookup(policy, resolve) } })));
  return agent;
}

/** A `net` lookup that answers only with addresses the policy allows (all of them must be allowed). */
export function checkedLookup(policy: NetworkPolicy, resolve?: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    checkHost(hostname, policy, resolve).then(
      (addresses) => {
        const family = (a: string) => (isIP(a) === 6 ? 6 : 4);
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => family(a) === options.family) : addresses;
        if (!wanted.length) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, wanted.map((a) => ({ address: a, family: family(a) })));
        callback(null, wanted[0]!, family(wanted[0]!));
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
