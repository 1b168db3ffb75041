import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { Logger } from '../../core/logger.js';
import type { Playbook } from '../../autonomy/engine/define-playbook.js';
import type { TenantInfo } from '../../records/tenants.js';
import { ConfigError, ConflictError, InputError, type ConfigProblem } from '../../core/errors.js';
import { audit } from '../../records/audit.js';
import { parseFormsFile } from '../../connection/forms/forms-file.js';
import { readTenantTexts, validateTenantFolder } from '../tenant-folder.js';
import type { TenantRegistry } from '../tenant-registry.js';

/** The short name rule of tenant.yaml `slug` (checked before it is used in a path). */
export const SLUG_RE = /^[a-z0-9][a-z0-9-]{1,40}$/;

/** What creating a business needs from the server. */
export interface CreateDeps {
  db: Db;
  log: Logger;
  tenants: TenantRegistry;
  playbooks: Playbook[];
  /** AIOS_HOME: tenants go in `tenants/`, staging in `tenants-staging/` next to it. */
  home: string;
  now: () => Date;
}

/** A new business's files (path relative to the business folder → content), before validation. */
export type BusinessFiles = Map<string, string | Buffer>;

/**
 * A template or source business whose files do not validate: 400 naming the file and every
 * problem (`problems`), nothing created.
 */
export class BusinessRefused extends InputError {
  constructor(readonly file: string, readonly problems: readonly ConfigProblem[], fix: string) {
    super(`${file}: ${problems.map((p) => `${p.field || '(root)'}: ${p.problem}`).join('; ')}`, { status: 400, code: 'business_files_invalid', fix });
  }
}

/** Refuses a slug that is not a short name, or one already used (folder, loaded business or tenants row). */
export async function checkNewSlug(deps: CreateDeps, slug: string): Promise<void> {
  if (!SLUG_RE.test(slug)) throw new InputError(`"${slug.slice(0, 60)}" is not a short name`, { fix: 'Use 2 to 41 lowercase letters, digits and dashes, starting with a letter or digit, e.g. ace-plumbing.' });
  const row = await deps.db.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirst();
  if (row || existsSync(join(deps.tenants.dir, slug))) throw new ConflictError(`a business with the short name "${slug}" already exists`, `Pick another short name, e.g. ${slug.slice(0, 38)}-2.`);
}

/**
 * Creates a business all or nothing: the files are written into a staging folder next to the
 * tenants folder (`AIOS_HOME/tenants-staging/<slug>-<random>`), validated with the validators
 * start-up uses (tenant.yaml with every playbook's settings, policy.yaml, forms.yaml, the phone
 * not used by another business), then renamed into `tenants/<slug>` in one step; only then the
 * tenants row is written (the registry loads it, as at start) and `creatorId` becomes an
 * `implementer` member. Any failure removes what was made.
 * @param label how refused files are named, e.g. `templates/plumber` or `clone of maple-plumbing`.
 * @throws BusinessRefused (400, file and field), ConflictError (409, slug taken).
 */
export async function createBusinessFolder(deps: CreateDeps, slug: string, files: BusinessFiles, creatorId: string, label: string, detail: Record<string, unknown>): Promise<TenantInfo> {
  await checkNewSlug(deps, slug);
  const stagingRoot = join(dirname(deps.tenants.dir), 'tenants-staging');
  const staging = join(stagingRoot, `${slug}-${randomBytes(6).toString('hex')}`);
  const final = join(deps.tenants.dir, slug);
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  try {
    for (const [rel, content] of files) {
      const path = join(staging, rel);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, content, { mode: 0o600 });
    }
    validateStaged(deps, slug, staging, label);
    mkdirSync(deps.tenants.dir, { recursive: true, mode: 0o700 });
    try {
      renameSync(staging, final);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') throw new ConflictError(`a business with the short name "${slug}" already exists`, `Pick another short name, e.g. ${slug.slice(0, 38)}-2.`);
      throw err;
    }
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  let info: TenantInfo | undefined;
  try {
    info = await deps.tenants.add(slug);
    await deps.db.insertInto('memberships').values({ principal_id: creatorId, tenant_id: info.id, role: 'implementer' }).onConflict((oc) => oc.columns(['principal_id', 'tenant_id']).doNothing()).execute();
    await audit(deps.db, info.id, `user:${creatorId}`, 'business.created', slug, detail);
  } catch (err) {
    deps.tenants.forget(slug);
    if (info) {
      await deps.db.deleteFrom('memberships').where('tenant_id', '=', info.id).execute().catch(() => undefined);
      await deps.db.deleteFrom('tenants').where('id', '=', info.id).execute().catch((e: unknown) => deps.log.warn({ err: e, tenant: slug }, 'undoing the tenants row failed'));
    }
    rmSync(final, { recursive: true, force: true });
    if (err instanceof ConfigError) throw refused(err, label);
    throw err;
  }
  await deps.tenants.announceAdded(info);
  return info;
}

/** Validates a staged folder as start-up would; names files relative to the business (`tenant.yaml`). */
function validateStaged(deps: CreateDeps, slug: string, staging: string, label: string): void {
  const texts = { ...readTenantTexts(staging), tenantPath: 'tenant.yaml', policyPath: 'policy.yaml' };
  try {
    const folder = validateTenantFolder(slug, texts, deps.playbooks);
    const clash = deps.tenants.byNumber(folder.file.phone);
    if (clash) throw new ConfigError('tenant.yaml', 'phone', `${folder.file.phone} is already the number of another business`, 'Give this business its own number: calls and texts are routed by it.');
    if (existsSync(join(staging, 'forms.yaml'))) parseFormsFile(readFileSync(join(staging, 'forms.yaml'), 'utf8'), 'forms.yaml');
  } catch (err) {
    if (err instanceof ConfigError) throw refused(err, label);
    throw err;
  }
}

function refused(err: ConfigError, label: string): BusinessRefused {
  return new BusinessRefused(`${label}/${err.file}`, err.problems, `Correct ${err.problems.map((p) => p.field || '(root)').join(', ')} in ${label}/${err.file}; nothing was created.`);
}

/** Sets `{{name}}`, `{{phone}}` and `{{owner_name}}` in a text file of a template. */
export function fillPlaceholders(text: string, v: { name: string; phone: string; ownerName: string }): string {
  return text.replaceAll('{{name}}', v.name).replaceAll('{{phone}}', v.phone).replaceAll('{{owner_name}}', v.ownerName);
}
