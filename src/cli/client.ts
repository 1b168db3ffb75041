import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { homePaths, loadConfig } from '../core/config.js';
import { AiosError } from '../core/errors.js';
import { chooseTenant } from './tenant-choice.js';

/** How the CLI reaches the running instance that uses the same AIOS_HOME. */
export interface Target {
  url: string;
  token: string;
  slug: string;
  home: string;
}

/**
 * Finds the running instance (runtime.json) and the CLI token of the business to act on
 * (see {@link chooseTenant}: with several businesses, `--tenant`, `AIOS_TENANT` or `aios use`).
 */
export function resolveTarget(tenant?: string, env: NodeJS.ProcessEnv = process.env): Target {
  const { home } = loadConfig(env);
  const paths = homePaths(home);
  let url = env.AIOS_URL;
  if (!url) {
    if (!existsSync(paths.runtime)) throw new AiosError('not_running', `AIOS is not running for AIOS_HOME=${home}`, { fix: 'Start it with `npm start` (or `aios start`) in another terminal, or set AIOS_HOME to the folder it uses.' });
    const rt = JSON.parse(readFileSync(paths.runtime, 'utf8')) as { url: string; pid: number };
    url = rt.url;
  }
  const slug = chooseTenant(home, tenant, env);
  const token = env.AIOS_TOKEN || readFileSync(join(paths.cliTokens, slug), 'utf8').trim();
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
