import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { pdfPageAlone, PdfReadError, type InputFile } from '../../knowledge/documents/index.js';
import type { Db } from '../../store/db.js';
import type { DocqcFilesTable } from './tables.js';
import './tables.js';

const TYPES: Record<string, DocqcFilesTable['content_type']> = { '.pdf': 'application/pdf', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };

/** A stored upload: its bytes and how to serve them. */
export interface StoredFile {
  file: string;
  contentType: DocqcFilesTable['content_type'];
  sha256: string;
  bytes: Uint8Array;
}

/**
 * Keeps each uploaded file's bytes (bytea, with its SHA-256) so staff can open the page an
 * exception points at; a file of the same name replaces the earlier one, as its reading does.
 * The type comes from the name's extension (the upload route names files by their content type).
 */
export async function storeFiles(db: Db, tenantId: string, packageId: string, files: readonly InputFile[]): Promise<void> {
  for (const f of files) {
    const contentType = TYPES[extname(f.name).toLowerCase()];
    if (!contentType) continue; // not servable; its reading still lists it as unreadable
    const bytes = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    const row = { content_type: contentType, size_bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
    await db.insertInto('docqc_files').values({ tenant_id: tenantId, package_id: packageId, file: f.name, ...row })
      .onConflict((oc) => oc.columns(['package_id', 'file']).doUpdateSet({ ...row, created_at: new Date() })).execute();
  }
}

/** One stored file of a business's package. @throws NotFoundError for another business's package or an unknown file. */
export async function storedFile(db: Db, tenantId: string, packageId: string, file: string): Promise<StoredFile> {
  const row = await db.selectFrom('docqc_files').select(['file', 'content_type', 'sha256', 'bytes']).where('tenant_id', '=', tenantId).where('package_id', '=', packageId).where('file', '=', file).executeTakeFirst();
  if (!row) throw new NotFoundError('document file', `${packageId}/${file}`);
  return { file: row.file, contentType: row.content_type, sha256: row.sha256, bytes: new Uint8Array(row.bytes) };
}

/**
 * Page `page` (1-based) of a stored file: a PDF of that page alone, or the image itself (page 1).
 * @throws NotFoundError as `storedFile`, or for a page the file does not have; ConflictError (409)
 * when the PDF cannot be opened page by page (encrypted, corrupt): the whole file still can be.
 */
export async function storedPage(db: Db, tenantId: string, packageId: string, file: string, page: number): Promise<StoredFile> {
  const f = await storedFile(db, tenantId, packageId, file);
  if (f.contentType !== 'application/pdf') {
    if (page !== 1) throw new NotFoundError('page', `${file} page ${page} (an image has page 1 only)`);
    return f;
  }
  try {
    return { ...f, bytes: await pdfPageAlone(f.bytes, page) };
  } catch (err) {
    if (!(err instanceof PdfReadError)) throw err;
    if (/not page/.test(err.message)) throw new NotFoundError('page', `${file} page ${page}`);
    throw new ConflictError(`${file}: ${err.message}`, `Open the whole file instead: GET /document-packages/${packageId}/files/${encodeURIComponent(file)}.`);
  }
}
