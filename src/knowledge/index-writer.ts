import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';
import { chunkDocument } from './chunker.js';
import type { ParsedDocument } from './extract.js';
import { searchConfig } from './text.js';
import { removeTermStats } from './term-stats.js';

/** Version of parsing and chunking; bump it when their output changes so that files are re-indexed. */
export const PARSER_VERSION = 2;

/** Rows per multi-row INSERT (keeps parameter counts well under PostgreSQL's 65,535). */
const BATCH = 500;

function earliest(a: string | null | undefined, b: string | null | undefined): string | null {
  if (a && b) return a < b ? a : b;
  return a ?? b ?? null;
}

/**
 * Replaces the index entry of one file (document row, chunks, facts) in one transaction. Term
 * statistics are the caller's job (sync removes the old document's terms before and adds the new
 * ones after, in batches).
 * `docId` is the existing document's id when the file was indexed before; `warning` is kept in
 * `error` and reported on every sync until the file or its sidecar changes.
 * @returns the document id and the number of chunks and facts written
 */
export async function writeDocument(
  db: Db,
  tenantId: string,
  file: { path: string; hash: string; size: number; docId?: string; warning?: string | null },
  doc: ParsedDocument,
): Promise<{ docId: string; chunks: number; facts: number }> {
  const docId = file.docId ?? newId('kdoc');
  const chunks = chunkDocument(doc.body, doc.title);
  const lang = searchConfig(doc.language);
  await db.transaction().execute(async (trx) => {
    if (file.docId) {
      await trx.deleteFrom('knowledge_chunks').where('document_id', '=', docId).execute();
      await trx.deleteFrom('knowledge_facts').where('document_id', '=', docId).execute();
    }
    const row = {
      tenant_id: tenantId,
      path: file.path,
      content_hash: file.hash,
      size_bytes: file.size,
      format: doc.format,
      kind: doc.kind,
      title: doc.title,
      language: doc.language,
      audience: doc.audience,
      valid_until: doc.validUntil,
      status: 'indexed' as const,
      // An indexed file may carry a problem to keep reporting (e.g. its broken sidecar).
      error: file.warning ?? null,
      parser_version: PARSER_VERSION,
      chunk_count: chunks.length,
      fact_count: doc.facts.length,
      source_url: doc.sourceUrl ?? null,
      indexed_at: new Date(),
    };
    await trx
      .insertInto('knowledge_documents')
      .values({ id: docId, ...row })
      .onConflict((oc) => oc.columns(['tenant_id', 'path']).doUpdateSet(row))
      .execute();
    const chunkRows = chunks.map((c, i) => ({
      id: newId('kch'),
      tenant_id: tenantId,
      document_id: docId,
      seq: i,
      file: file.path,
      title: doc.title,
      heading_path: c.headingPath.join(' > '),
      keywords: doc.keywords.join(', '),
      body: c.text,
      kind: doc.kind,
      audience: doc.audience,
      language: lang,
      valid_until: doc.validUntil,
      word_count: c.words,
    }));
    for (let i = 0; i < chunkRows.length; i += BATCH) await trx.insertInto('knowledge_chunks').values(chunkRows.slice(i, i + BATCH)).execute();
    const factRows = doc.facts.map((f) => ({
      id: newId('kfact'),
      tenant_id: tenantId,
      document_id: docId,
      file: file.path,
      type: f.type,
      key: f.key,
      value: f.value,
      service: f.service ?? null,
      amount_cents: f.amountCents ?? null,
      currency: f.currency ?? null,
      unit: f.unit ?? null,
      valid_until: earliest(f.validUntil, doc.validUntil),
    }));
    for (let i = 0; i < factRows.length; i += BATCH) await trx.insertInto('knowledge_facts').values(factRows.slice(i, i + BATCH)).execute();
  });
  return { docId, chunks: chunks.length, facts: doc.facts.length };
}

/**
 * Records a file that cannot be indexed: its previous chunks and facts leave the index (the owner
 * changed the file; stale content must not keep answering), the reason is kept for listings.
 */
export async function writeFailure(db: Db, tenantId: string, file: { path: string; hash: string; size: number; docId?: string }, format: string, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (file.docId) {
      await trx.deleteFrom('knowledge_chunks').where('document_id', '=', file.docId).execute();
      await trx.deleteFrom('knowledge_facts').where('document_id', '=', file.docId).execute();
    }
    const row = {
      tenant_id: tenantId,
      path: file.path,
      content_hash: file.hash,
      size_bytes: file.size,
      format,
      kind: null,
      title: null,
      language: null,
      audience: null,
      valid_until: null,
      status: 'failed' as const,
      error: reason,
      parser_version: PARSER_VERSION,
      chunk_count: 0,
      fact_count: 0,
      indexed_at: new Date(),
    };
    await trx
      .insertInto('knowledge_documents')
      .values({ id: file.docId ?? newId('kdoc'), ...row })
      .onConflict((oc) => oc.columns(['tenant_id', 'path']).doUpdateSet(row))
      .execute();
  });
}

/** A file renamed or moved without content change: the index entry follows it, nothing is re-parsed. */
export async function moveDocument(db: Db, tenantId: string, docId: string, newPath: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('knowledge_documents').set({ path: newPath }).where('tenant_id', '=', tenantId).where('id', '=', docId).execute();
    await trx.updateTable('knowledge_chunks').set({ file: newPath }).where('tenant_id', '=', tenantId).where('document_id', '=', docId).execute();
    await trx.updateTable('knowledge_facts').set({ file: newPath }).where('tenant_id', '=', tenantId).where('document_id', '=', docId).execute();
  });
}

/** Removes documents (and, by cascade, their chunks and facts) from the index. */
export async function deleteDocuments(db: Db, tenantId: string, docIds: string[]): Promise<void> {
  for (let i = 0; i < docIds.length; i += BATCH) {
    const ids = docIds.slice(i, i + BATCH);
    await db.transaction().execute(async (trx) => {
      await removeTermStats(trx, tenantId, ids);
      await trx.deleteFrom('knowledge_documents').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
    });
  }
}
