import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { newSecret } from '../core/ids.js';
import { ensureTenantOwner } from '../records/principals.js';
import { setPassword } from '../records/passwords.js';

/** A business owner's dashboard login as `aios start` prints it. */
export interface OwnerLogin {
  slug: string;
  email: string;
  /** The generated first password while it is still the owner's password (its file exists); else null. */
  password: string | null;
  /** Created by this start (print the password once). */
  created: boolean;
  file: string;
}

/**
 * Gives each business's first owner a dashboard login on first start: their email (tenant.yaml
 * `owner.email`, else `owner@<slug>.local`, unless the person already has one) and, when they
 * have no password yet, a generated one kept in `AIOS_HOME/dashboard-logins/<slug>` (0600) as
 * `email password`. `aios user password` replaces it and removes the file.
 */
export async function ensureOwnerLogins(db: Db, dir: string, tenants: Array<{ id: string; slug: string; owner: { name: string; email?: string } }>, now: Date): Promise<OwnerLogin[]> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const out: OwnerLogin[] = [];
  for (const t of tenants) {
    const ownerId = await ensureTenantOwner(db, t.id, t.owner.name);
    const row = await db.selectFrom('principals').select(['email', 'password_hash']).where('id', '=', ownerId).executeTakeFirstOrThrow();
    let email = row.email;
    if (!email) {
      const wanted = t.owner.email ?? `owner@${t.slug}.local`;
      const taken = await db.selectFrom('principals').select('id').where(sql`lower(email)`, '=', wanted.toLowerCase()).executeTakeFirst();
      if (taken) continue;
      await db.updateTable('principals').set({ email: wanted }).where('id', '=', ownerId).execute();
      email = wanted;
    }
    const file = join(dir, t.slug);
    if (!row.password_hash) {
      const password = newSecret(12);
      await setPassword(db, ownerId, password, now);
      writeFileSync(file, `${email} ${password}\n`, { mode: 0o600 });
      out.push({ slug: t.slug, email, password, created: true, file });
      continue;
    }
    const kept = existsSync(file) ? readFileSync(file, 'utf8').trim().split(/\s+/)[1] ?? null : null;
    out.push({ slug: t.slug, email, password: kept, created: false, file });
  }
  return out;
}
