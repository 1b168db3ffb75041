import type { Db } from '../store/db.js';
import type { Citation } from './types.js';

/**
 * Fills each citation's `url` with the web page its file was fetched from (website knowledge,
 * `knowledge_documents.source_url`); files of the owner's own keep `url: null`. One query.
 */
export async function attachSourceUrls(db: Db, tenantId: string, citations: Citation[]): Promise<Citation[]> {
  const files = [...new Set(citations.map((c) => c.file))];
  if (files.length === 0) return citations;
  const rows = await db.selectFrom('knowledge_documents').select(['path', 'source_url']).where('tenant_id', '=', tenantId).where('path', 'in', files).execute();
  const urls = new Map(rows.map((r) => [r.path, r.source_url]));
  return citations.map((c) => ({ ...c, url: urls.get(c.file) ?? null }));
}
