/**
 * Which business a CLI command acts on. With one business, that one. With several, the first of:
 * `--tenant <slug>`, `AIOS_TENANT`, the default stored by `aios use <slug>`
 * (`AIOS_HOME/cli-default`); otherwise the command refuses and lists them — it never guesses.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync, renameSync, chmodSync } from 'node:fs';
import { homePaths } from '../core/config.js';
import { AiosError } from '../core/errors.js';
import { didYouMean } from '../core/did-you-mean.js';

/** Businesses that have a CLI token in this home (written by AIOS at start), sorted. */
export function knownTenants(home: string): string[] {
  const dir = homePaths(home).cliTokens;
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')).sort() : [];
}

/** The slug stored by `aios use`, or null. */
export function storedDefaultTenant(home: string): string | null {
  const path = homePaths(home).cliDefault;
  if (!existsSync(path)) return null;
  return readFileSync(path, 'utf8').trim() || null;
}

function unknown(slug: string, slugs: string[], source: string): AiosError {
  return new AiosError('unknown_tenant', `no business "${slug}" in this AIOS_HOME${didYouMean(slug, slugs)}`, {
    fix: `Known businesses: ${slugs.join(', ')}.${source ? ` (It came from ${source}.)` : ''}`,
  });
}

function noTokens(home: string): AiosError {
  return new AiosError('no_token', `no business has a CLI token in ${homePaths(home).cliTokens}`, {
    fix: 'Start AIOS once (`npm start`) to create the tokens, or set AIOS_HOME to the folder it uses.',
  });
}

/**
 * @param explicit the `--tenant` option, if given.
 * @param env for `AIOS_TENANT`.
 * @returns the slug to act on.
 * @throws AiosError `tenant_required` (several businesses, no choice), `unknown_tenant`, `no_token`.
 */
export function chooseTenant(home: string, explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const slugs = knownTenants(home);
  if (slugs.length === 0) throw noTokens(home);
  const pick = (slug: string, source: string) => {
    if (!slugs.includes(slug)) throw unknown(slug, slugs, source);
    return slug;
  };
  if (explicit) return pick(explicit, '');
  if (env.AIOS_TENANT) return pick(env.AIOS_TENANT, 'AIOS_TENANT');
  const stored = storedDefaultTenant(home);
  if (stored) {
    if (!slugs.includes(stored)) {
      throw new AiosError('unknown_tenant', `the default business "${stored}" (set with \`aios use\`) is not in this AIOS_HOME any more`, {
        fix: `Choose another with \`aios use <slug>\`: ${slugs.join(', ')}.`,
      });
    }
    return stored;
  }
  if (slugs.length === 1) return slugs[0]!;
  throw new AiosError('tenant_required', `AIOS_HOME=${home} has ${slugs.length} businesses (${slugs.join(', ')}); which one?`, {
    fix: `Add \`aios --tenant <slug> …\` to the command, or run \`aios use <slug>\` once to make one the default (e.g. aios use ${slugs[0]}).`,
  });
}

/**
 * `aios use <slug>`: stores the default business in `AIOS_HOME/cli-default` (mode 0600).
 * @throws AiosError `unknown_tenant` (nothing is written) or `no_token`.
 */
export function storeDefaultTenant(home: string, slug: string): void {
  const slugs = knownTenants(home);
  if (slugs.length === 0) throw noTokens(home);
  if (!slugs.includes(slug)) throw unknown(slug, slugs, '');
  const path = homePaths(home).cliDefault;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${slug}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // whatever the umask
  renameSync(tmp, path);
}
