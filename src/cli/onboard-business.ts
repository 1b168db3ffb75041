import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { AiosError } from '../core/errors.js';
import { TenantFileSchema } from '../records/tenant-file.js';
import type { NewBusinessIdentity } from '../server/agency/business-create.js';

/** What `aios onboard` asks to create a business: who it is (as the agency console asks), and its website. */
export interface NewBusiness extends NewBusinessIdentity {
  website?: string;
}

/**
 * Writes `AIOS_HOME/tenants/<slug>/tenant.yaml` for a new business, validated by the same schema
 * start-up uses (so a mistake is reported now, with its field, not at the next start).
 * @returns the file written
 * @throws AiosError naming the field, or when the business already exists
 */
export function createBusinessFile(home: string, b: NewBusiness): string {
  const file = {
    slug: b.slug,
    name: b.name,
    time_zone: b.timeZone,
    phone: b.phone,
    owner: { name: b.ownerName, ...(b.ownerEmail ? { email: b.ownerEmail } : {}) },
    ...(b.website ? { profile: { website: b.website } } : {}),
  };
  const check = TenantFileSchema.safeParse(file);
  if (!check.success) {
    const i = check.error.issues[0]!;
    throw new AiosError('bad_input', `${i.path.join('.')}: ${i.message}`, { fix: 'Answer that question again (e.g. phone as +14165550100, time zone as America/Toronto).' });
  }
  const dir = join(home, 'tenants', b.slug);
  const path = join(dir, 'tenant.yaml');
  if (existsSync(path)) throw new AiosError('conflict', `the business ${b.slug} already exists (${path})`, { fix: 'Pick another short name, or edit that file.' });
  mkdirSync(join(dir, 'knowledge'), { recursive: true });
  writeFileSync(path, stringify(file));
  return path;
}

/** A short name from a business name: "Ace Plumbing Ltd." → "ace-plumbing-ltd". */
export function slugOf(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'my-business';
}
