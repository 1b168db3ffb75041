import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import type { TenantInfo } from '../records/tenants.js';
import { upsertTenant } from '../records/tenants.js';
import { loadTenantFile, zodToConfigError } from '../records/tenant-file.js';
import { loadPolicyFile } from '../autonomy/policy/load-policy.js';
import type { Policy } from '../autonomy/policy/policy-schema.js';
import type { Playbook } from '../autonomy/engine/define-playbook.js';
import { ConfigError, InputError } from '../core/errors.js';

/**
 * The tenants of this install, loaded from `AIOS_HOME/tenants/<slug>/{tenant,policy}.yaml`.
 * Every file is validated at start; the first problem stops start-up naming file and field.
 */
export class TenantRegistry {
  private readonly byId = new Map<string, TenantInfo>();
  private readonly bySlug = new Map<string, TenantInfo>();
  private readonly byPhone = new Map<string, TenantInfo>();
  private readonly policies = new Map<string, Policy>();

  /** Reads and validates every tenant folder, then upserts the tenants into the database. */
  static async load(db: Db, tenantsDir: string, playbooks: Playbook[]): Promise<TenantRegistry> {
    const reg = new TenantRegistry();
    if (!existsSync(tenantsDir)) return reg;
    const slugs = readdirSync(tenantsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    for (const slug of slugs) {
      const dir = join(tenantsDir, slug);
      const tenantPath = join(dir, 'tenant.yaml');
      if (!existsSync(tenantPath)) continue;
      const file = loadTenantFile(tenantPath);
      if (file.slug !== slug) throw new ConfigError(tenantPath, 'slug', `is "${file.slug}" but the folder is "${slug}"`, `Rename the folder or set slug: ${slug}.`);
      const raw = (file as { playbooks?: Record<string, unknown> }).playbooks ?? {};
      for (const key of Object.keys(raw)) {
        if (!playbooks.some((p) => p.id === key)) throw new ConfigError(tenantPath, `playbooks.${key}`, `no playbook named "${key}"`, `Known playbooks: ${[...new Set(playbooks.map((p) => p.id))].join(', ')}.`);
      }
      // Every playbook's settings are validated once here, defaults filled in for absent sections;
      // runs and webhooks read the parsed values.
      const settings: Record<string, unknown> = {};
      for (const pb of playbooks) {
        const key = pb.id;
        const res = pb.settings.safeParse(raw[key] ?? {});
        if (!res.success) {
          const e = zodToConfigError(tenantPath, res.error);
          throw new ConfigError(tenantPath, `playbooks.${key}${e.field ? `.${e.field}` : ''}`, e.problem);
        }
        settings[key] = res.data;
      }
      const policy = loadPolicyFile(join(dir, 'policy.yaml'));
      const id = await upsertTenant(db, file);
      const info: TenantInfo = {
        id, slug, name: file.name, timeZone: file.time_zone, locale: file.locale, currency: file.currency, phone: file.phone,
        owner: file.owner, profile: file.profile, playbookSettings: settings, dir,
      };
      const clash = reg.byPhone.get(file.phone);
      if (clash) throw new ConfigError(tenantPath, 'phone', `${file.phone} is also the number of tenant "${clash.slug}"`, 'Each business needs its own number: webhooks are routed by it.');
      reg.byId.set(id, info);
      reg.bySlug.set(slug, info);
      reg.byPhone.set(file.phone, info);
      reg.policies.set(id, policy);
    }
    return reg;
  }

  /** The tenant with this id; throws when unknown (a bug: ids come from the database). */
  get(id: string): TenantInfo {
    const t = this.byId.get(id);
    if (!t) throw new Error(`tenant ${id} is not loaded`);
    return t;
  }

  /** The tenant whose business number is `phone`, for routing inbound webhooks. */
  byNumber(phone: string): TenantInfo | undefined {
    return this.byPhone.get(phone);
  }

  /**
   * The tenant with this slug; InputError (404) when unknown. Public routes call this, so the error
   * names neither the other tenants of the install nor any path.
   */
  bySlugOrThrow(slug: string): TenantInfo {
    const t = this.bySlug.get(slug);
    if (!t) throw new InputError(`no business "${slug.slice(0, 80)}" on this server`, { status: 404, fix: 'Check the business name in the URL: it is the folder name of the business under AIOS_HOME/tenants.' });
    return t;
  }

  policy(id: string): Policy {
    const p = this.policies.get(id);
    if (!p) throw new Error(`no policy loaded for tenant ${id}`);
    return p;
  }

  all(): TenantInfo[] {
    return [...this.byId.values()];
  }
}
