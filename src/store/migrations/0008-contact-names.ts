import { sql, type Kysely } from 'kysely';

/**
 * Where a contact's name came from and whether a person vouched for it. Existing names are
 * classified from the contact's `source`: CSV/CRM imports are verified, widget names are an
 * anonymous visitor's (never quoted in a text), the rest are caller ID / form / email names.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table contacts add column name_source text
  check (name_source in ('owner', 'import', 'form', 'caller_id', 'email', 'visitor'));
alter table contacts add column name_verified boolean not null default false;
update contacts set
  name_source = case
    when source = 'import' or source like 'csv:%' then 'import'
    when source = 'widget' then 'visitor'
    when source = 'web_form' then 'form'
    when source = 'missed_call' then 'caller_id'
    when source = 'email' then 'email'
    else 'visitor' end,
  name_verified = (source = 'import' or source like 'csv:%')
where name is not null;
`.execute(db);
}

/** Forward-only: AIOS never migrates down. */
export async function down(): Promise<void> {
  throw new Error('0008-contact-names cannot be reverted');
}
