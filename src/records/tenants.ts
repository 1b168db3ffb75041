import type { Db } from '../store/db.js';
import type { TenantFile } from './tenant-file.js';
import { newId } from '../core/ids.js';

/** A tenant as the runtime sees it: the database id plus its validated tenant.yaml. */
export interface TenantInfo {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  locale: string;
  currency: string;
  phone: string;
  owner: { name: string; phone?: string; email?: string };
  profile: TenantFile['profile'];
  /** Appointment rules (`booking:` in tenant.yaml, defaults filled in). */
  booking: TenantFile['booking'];
  /** Phone answering (`voice:` in tenant.yaml, defaults filled in). */
  voice: TenantFile['voice'];
  /** Watcher thresholds (`watchers:` in tenant.yaml); absent = defaults. */
  watchers?: TenantFile['watchers'];
  /** Daily brief and weekly report (`brief:` in tenant.yaml); absent = defaults. */
  brief?: TenantFile['brief'];
  /** Closed days (`holidays:` in tenant.yaml); absent = none. */
  holidays?: TenantFile['holidays'];
  /** ROI numbers (`roi:` in tenant.yaml); absent = defaults. */
  roi?: TenantFile['roi'];
  /** Per-playbook settings from tenant.yaml, parsed by each playbook's schema at start (defaults filled in). */
  playbookSettings: Record<string, unknown>;
  /** Absolute folder of this tenant's files (tenant.yaml, policy.yaml, knowledge/). */
  dir: string;
}

/** Creates or updates the tenant row from its file; returns the tenant id. Keyed by slug. */
export async function upsertTenant(db: Db, file: TenantFile): Promise<string> {
  const row = await db
    .insertInto('tenants')
    .values({
      id: newId('tn'),
      slug: file.slug,
      name: file.name,
      time_zone: file.time_zone,
      locale: file.locale,
      currency: file.currency,
      phone: file.phone,
      profile: JSON.stringify({ owner: file.owner, ...file.profile }),
    })
    .onConflict((oc) =>
      oc.column('slug').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        time_zone: eb.ref('excluded.time_zone'),
        locale: eb.ref('excluded.locale'),
        currency: eb.ref('excluded.currency'),
        phone: eb.ref('excluded.phone'),
        profile: eb.ref('excluded.profile'),
        updated_at: new Date(),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
