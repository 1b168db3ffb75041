import { sql, type Kysely } from 'kysely';

/**
 * `knowledge_documents.source_url`: the web page a knowledge file was fetched from (front matter
 * `source_url:`, written by the website crawler, `src/knowledge/website/`); answers cite it.
 * Null for the owner's own files.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table knowledge_documents add column source_url text`.execute(db);
}
