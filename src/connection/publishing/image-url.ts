import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InputError } from '../../core/errors.js';
import { classifyAddress, type Resolver } from '../framework/address-policy.js';

/** Longest image URL accepted, in characters. */
export const IMAGE_URL_MAX = 2000;

const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checks an image URL the owner attaches to a post. The publisher (Buffer, the webhook's receiver,
 * an MCP tool) fetches it, not AIOS, so the rule is stricter than the connectors' address policy
 * and ignores the instance's loopback/LAN allowances: `https:` only, no user name or password in
 * it, and a host that is neither a non-public IP literal (loopback, private, link-local such as
 * the metadata address, in any notation the URL parser accepts) nor a name resolving to one
 * (`localhost`, `*.internal`…). A name that does not resolve from here (offline) is accepted: the
 * publisher resolves it.
 * @returns the normalised URL
 * @throws InputError `image_url_refused` saying what to give instead
 */
export async function checkImageUrl(raw: string, resolve: Resolver = systemResolver): Promise<string> {
  const fix = 'Give the image\'s public https address (e.g. https://images.example.com/post.jpg), as Buffer and the platforms must fetch it.';
  const refuse = (why: string) => new InputError(`that image URL cannot be used: ${why}`, { code: 'image_url_refused', fix });
  const text = raw.trim();
  if (text.length > IMAGE_URL_MAX) throw refuse(`it is longer than ${IMAGE_URL_MAX} characters`);
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw refuse('it is not a URL');
  }
  if (u.protocol !== 'https:') throw refuse(`only https addresses are accepted, not ${u.protocol.replace(/:$/, '')}`);
  if (u.username || u.password) throw refuse('it holds a user name or password');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    if (!host.includes('.') || /\.(local|localhost|internal|lan|home\.arpa)$/i.test(host)) throw refuse('its host is a local network name');
    try {
      addresses = await resolve(host);
    } catch {
      addresses = [];
    }
  }
  for (const a of addresses) {
    const cls = classifyAddress(a);
    if (cls !== 'public') throw refuse(`its host is a ${cls} address, not reachable by the publisher`);
  }
  return u.toString();
}
