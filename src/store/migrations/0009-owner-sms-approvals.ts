import { sql, type Kysely } from 'kysely';

/** Letters a short code may use (no I or O, which read as 1 and 0). */
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * Approval links derived from the instance key and a per-approval nonce (so a re-run of the
 * request step yields the same link), and short codes the owner quotes when answering by SMS
 * (unique among a business's pending approvals). Pending approvals that exist already get a code;
 * their links (random tokens, hash kept) keep working.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table approvals add column link_nonce text;
alter table approvals add column short_code text;
create unique index approvals_pending_short_code on approvals(tenant_id, short_code) where status = 'pending' and short_code is not null;
`.execute(db);
  const pending = await sql<{ id: string; tenant_id: string }>`select id, tenant_id from approvals where status = 'pending' order by tenant_id, created_at`.execute(db);
  const next = new Map<string, number>();
  for (const row of pending.rows) {
    const n = next.get(row.tenant_id) ?? 0;
    next.set(row.tenant_id, n + 1);
    // Sequential per business (A2A, A2B, …): unique without retries.
    const code = `${LETTERS[Math.floor(n / (8 * LETTERS.length)) % LETTERS.length]}${2 + (Math.floor(n / LETTERS.length) % 8)}${LETTERS[n % LETTERS.length]}`;
    await sql`update approvals set short_code = ${code} where id = ${row.id}`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
