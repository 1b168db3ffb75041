import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';

/**
 * File modes of AIOS_HOME. Nothing in it is for other users of the machine:
 *
 * | path | mode |
 * |---|---|
 * | `AIOS_HOME` | 0700; 0701 when running as root with the embedded PostgreSQL (below) |
 * | `tenants/`, `tenants/<slug>/`, `cli-tokens/`, `dashboard-logins/` | 0700 |
 * | `secret.key`, `aios-password`, `db-app-password`, `cli-tokens/<slug>`, `dashboard-logins/<slug>`, `tenants/<slug>/forms.yaml` | 0600 |
 *
 * As root, the embedded PostgreSQL runs as the `postgres` system user, which must reach its data
 * folder `AIOS_HOME/pg` (owned by it, 0700). The home then gets `o+x` only: other users may pass
 * through to a path they already know but cannot list the folder, and every secret is a 0600 file
 * or inside a 0700 folder, so it stays unreadable to them.
 *
 * Modes are only ever tightened (bits removed), never loosened; each change is logged.
 */

/** Secret files directly in AIOS_HOME. */
export const HOME_SECRET_FILES = ['secret.key', 'aios-password', 'db-app-password'] as const;
/** Secret files in each tenant folder. */
export const TENANT_SECRET_FILES = ['forms.yaml'] as const;

/** The mode AIOS_HOME may have: 0700, plus o+x for the embedded PostgreSQL's user when root. */
export function homeMode(opts: { pgTraversal: boolean }): number {
  return opts.pgTraversal ? 0o701 : 0o700;
}

const octal = (m: number) => m.toString(8).padStart(3, '0');

/** Removes from `path` every mode bit outside `allowed`; logs when it did. Missing paths are skipped. */
function tighten(path: string, allowed: number, log: Logger): void {
  if (!existsSync(path)) return;
  const mode = statSync(path).mode & 0o777;
  const next = mode & allowed;
  if (next === mode) return;
  chmodSync(path, next);
  log.warn({ path, from: octal(mode), to: octal(next) }, `tightened ${path} from ${octal(mode)} to ${octal(next)} (it was open to other users)`);
}

/**
 * Creates AIOS_HOME (0700) when missing and tightens it and the secrets in it (see the table
 * above). Call before the embedded PostgreSQL starts (it adds `o+x` as root) and before
 * tenant files are read.
 */
export function secureHome(home: string, log: Logger, opts: { pgTraversal: boolean }): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  tighten(home, homeMode(opts), log);
  for (const f of HOME_SECRET_FILES) tighten(join(home, f), 0o600, log);
  for (const dir of ['cli-tokens', 'dashboard-logins']) {
    const tokens = join(home, dir);
    tighten(tokens, 0o700, log);
    if (existsSync(tokens)) for (const f of readdirSync(tokens)) tighten(join(tokens, f), 0o600, log);
  }
  const tenants = join(home, 'tenants');
  tighten(tenants, 0o700, log);
  if (!existsSync(tenants)) return;
  for (const entry of readdirSync(tenants, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(tenants, entry.name);
    tighten(dir, 0o700, log);
    for (const f of TENANT_SECRET_FILES) tighten(join(dir, f), 0o600, log);
  }
}
