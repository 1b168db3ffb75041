import { sql, type Kysely } from 'kysely';

/**
 * Dashboard login (`records/passwords.ts`, `records/sessions.ts`).
 * - `principals.password_hash`: an argon2id hash (users only); null = the person cannot log in.
 * - `sessions`: a browser's login. Only the SHA-256 of the cookie's secret is stored. `tenant_id`
 *   is the business the session acts on now (an implementer switches among their memberships);
 *   `csrf` is the token every state-changing request must echo in `X-AIOS-CSRF`.
 * - `login_failures`: failed logins per key (`email:<lower email>`, `ip:<address>`), for the
 *   growing delay and the lock-out; cleared by a successful login of that email.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table principals add column password_hash text;
alter table principals add column password_set_at timestamptz;

create table sessions (
  id_hash text primary key,
  principal_id text not null references principals(id),
  tenant_id text not null references tenants(id),
  csrf text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index sessions_principal on sessions (principal_id);

create table login_failures (
  key text primary key,
  failures integer not null,
  first_failed_at timestamptz not null,
  last_failed_at timestamptz not null
);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
