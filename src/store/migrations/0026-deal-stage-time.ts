import { sql, type Kysely } from 'kysely';

/**
 * `deals.stage_changed_at`: when the deal entered its current stage (the dashboard's "days in
 * stage"). Existing rows start at their last activity (the best record of the last move). A trigger
 * keeps it true for every writer (playbooks, imports, the API): a stage change that does not set
 * the column itself sets it to `now()`. Indexes for the pipeline (by stage) and a contact's page
 * (their conversations and invoices).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table deals add column stage_changed_at timestamptz;
update deals set stage_changed_at = last_activity_at;
alter table deals alter column stage_changed_at set default now();
alter table deals alter column stage_changed_at set not null;

create function deals_stage_changed_at() returns trigger language plpgsql as $$
begin
  if new.stage is distinct from old.stage and new.stage_changed_at is not distinct from old.stage_changed_at then
    new.stage_changed_at := now();
  end if;
  return new;
end $$;
create trigger deals_stage_changed_at before update of stage on deals
  for each row execute function deals_stage_changed_at();

create index if not exists deals_tenant_stage on deals (tenant_id, stage, stage_changed_at desc);
create index if not exists conversations_tenant_contact on conversations (tenant_id, contact_id);
create index if not exists invoices_tenant_contact on invoices (tenant_id, contact_id);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
