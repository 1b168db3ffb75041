import { sql, type Kysely } from 'kysely';

/**
 * Content posts (0032) gain: `image_url` (the https image the owner attached; a platform whose
 * rules require an image, Instagram, cannot be approved or published without one), `writer`
 * (`template`: the offline writer; `model`: the configured model wrote it and it passed the same
 * checks) and `notes` (why a model-written post fell back to the template, one line each).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table content_posts add column image_url text;
alter table content_posts add column writer text not null default 'template' check (writer in ('template', 'model'));
alter table content_posts add column notes text;
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('AIOS migrations are forward-only');
}
