import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { homePaths, loadConfig } from '../core/config.js';
import { AiosError } from '../core/errors.js';

/** How the CLI reaches the running instance that uses the same AIOS_HOME. */
export interface Target {
  url: string;
  token: string;
  slug: string;
  home: string;
}

/** Finds the running instance (runtime.json) and the tenant's CLI token. */
export function resolveTarget(tenant?: string): Target {
  const { home } = loadConfig();
  const paths = homePaths(home);
  let url = process.env.AIOS_URL;
  if (!url) {
    if (!existsSync(paths.runtime)) throw new AiosError('not_running', `AIOS is not running for AIOS_HOME=${home}`, { fix: 'Start it with `npm start` (or `aios start`) in another terminal, or set AIOS_HOME to the folder it uses.' });
    const rt = JSON.parse(readFileSync(paths.runtime, 'utf8')) as { url: string; pid: number };
    url = rt.url;
  }
  const slugs = existsSync(paths.cliTokens) ? readdirSync(paths.cliTokens).sort() : [];
  const slug = tenant ?? process.env.AIOS_TENANT ?? slugs[0];
  if (!slug || !slugs.includes(slug)) throw new AiosError('no_token', `no CLI token for tenant "${slug ?? '(none)'}" in ${paths.cliTokens}`, { fix: `Known tenants: ${slugs.join(', ') || '(none)'}. Start AIOS once to create tokens.` });
  const token = process.env.AIOS_TOKEN ?? readFileSync(join(paths.cliTokens, slug), 'utf8').trim();
  return { url, token, slug, home };
}

/** Calls the JSON API; turns HTTP errors into AiosError with the server's message and fix. */
export async function api<T = Record<string, unknown>>(t: Target, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${t.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${t.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    throw new AiosError('not_running', `cannot reach AIOS at ${t.url}`, { fix: 'Is it running? A stale runtime.json is left after a crash: start AIOS again.', cause: err });
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) throw new AiosError(String(json.error ?? res.status), String(json.message ?? `HTTP ${res.status}`), { fix: String(json.fix ?? '') });
  return json as T;
}
