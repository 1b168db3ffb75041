import { sql, type Kysely } from 'kysely';

/**
 * The content engine (issue 12): `content_sources` (a long piece the owner added, its text as read,
 * unique by SHA-256 per business), `content_ideas` (what is worth a post, with the passage's
 * offsets into the source text), `content_weeks` (one planned week per business and Monday, with
 * what was left out and why) and `content_posts` (one post per platform and slot, its approval,
 * its run and its publication result: URL or failure). Post status:
 * drafted → in_approval → approved | rejected | expired → scheduled → published | failed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
create table content_sources (
  id text primary key,
  tenant_id text not null references tenants(id),
  name text not null,
  title text not null,
  format text not null,
  body text not null,
  sha256 text not null,
  created_at timestamptz not null default now(),
  unique (tenant_id, sha256)
);
create table content_ideas (
  id text primary key,
  tenant_id text not null references tenants(id),
  source_id text not null references content_sources(id),
  seq integer not null,
  kind text not null check (kind in ('tip','question','story','quote','offer')),
  text text not null,
  topic text not null,
  heading text not null,
  passage_start integer not null,
  passage_end integer not null,
  score real not null,
  keywords jsonb not null default '[]',
  unique (source_id, seq)
);
create table content_weeks (
  id text primary key,
  tenant_id text not null references tenants(id),
  monday text not null check (monday ~ '^\\d{4}-\\d{2}-\\d{2}$'),
  time_zone text not null,
  posts_planned integer not null,
  unfilled integer not null default 0,
  left_out jsonb not null default '[]',
  requested_by text not null,
  created_at timestamptz not null default now(),
  unique (tenant_id, monday)
);
create table content_posts (
  id text primary key,
  tenant_id text not null references tenants(id),
  week_id text not null references content_weeks(id),
  idea_id text not null references content_ideas(id),
  platform text not null check (platform in ('linkedin','instagram','facebook','x','google_business')),
  slot_at timestamptz not null,
  text text not null,
  hashtags jsonb not null default '[]',
  link text,
  cta jsonb not null,
  image_note text,
  image_required boolean not null default false,
  status text not null default 'drafted' check (status in ('drafted','in_approval','approved','rejected','expired','scheduled','published','failed')),
  edited boolean not null default false,
  run_id text,
  reject_reason text,
  decided_by text,
  decided_at timestamptz,
  published_at timestamptz,
  published_url text,
  publish_ref text,
  failure text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index content_posts_week on content_posts (week_id, slot_at);
create index content_posts_tenant_slot on content_posts (tenant_id, slot_at);
create unique index content_posts_run on content_posts (run_id) where run_id is not null;
create index content_ideas_source on content_ideas (source_id, seq);
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
