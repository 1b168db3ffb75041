import { sql, type Kysely } from 'kysely';

/**
 * `approvals.untrusted`: the parts of a proposal that came from outside the business (a customer's
 * message, the email that triggered it, text written by an outside proposer), as
 * `[{label, text}]`, so the approval page, the API and the CLI can mark them as such.
 * Existing rows get `[]`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table approvals add column untrusted jsonb not null default '[]'::jsonb`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
