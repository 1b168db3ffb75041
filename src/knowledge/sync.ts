import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { InputError } from '../core/errors.js';
import { tenantCurrency, tenantToday } from './dates.js';
import { raiseExpirySignals } from './expiry.js';
import { FORMATS, parseKnowledgeFile } from './extract.js';
import { IngestError } from './front-matter.js';
import { deleteDocuments, moveDocument, PARSER_VERSION, writeDocument, writeFailure } from './index-writer.js';
import { readNoFollow as readFile, scanFolder, sha256, type ScannedFile } from './scan.js';
import { isSidecar, SIDECAR_SUFFIX, sidecarTarget } from './audience.js';
import { applyMarking, brokenSidecarReason, documentHash, readMarking, type Marking } from './marking.js';
import { addTermStats, removeTermStats } from './term-stats.js';
import type { SyncFailure, SyncResult, SyncStats } from './types.js';

/** Default size limit of one knowledge file: 10 MB. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** Files kept in memory between hashing and parsing when at most this big; larger ones are read again. */
const KEEP_BYTES = 1024 * 1024;

/** Options of {@link syncKnowledge}. */
export interface SyncOptions {
  /** Called after each file: files done so far, total files, the file's relative path. */
  onProgress?(done: number, total: number, file: string): void;
  /** Per-file size limit in bytes (default 10 MB). Larger files are reported as failures. */
  maxBytes?: number;
  /** The instant used to decide expiry (default: now). */
  now?: Date;
  /** Files parsed and written concurrently (default 4). */
  concurrency?: number;
}

interface Existing {
  id: string;
  path: string;
  hash: string;
  status: 'indexed' | 'failed';
  error: string | null;
  parser_version: number;
}

interface Work {
  file: ScannedFile;
  hash: string;
  buf: Buffer | null;
  existing?: Existing;
  marking: Marking;
}

function formatOf(path: string): string {
  return FORMATS[extname(path).toLowerCase()] ?? (extname(path).slice(1).toLowerCase() || 'unknown');
}

async function withTenantLock<T>(db: Db, tenantId: string, fn: () => Promise<T>): Promise<T> {
  return await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(${'aios.knowledge.sync:' + tenantId}))`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${'aios.knowledge.sync:' + tenantId}))`.execute(conn);
    }
  });
}

/** Runs `fn` over `items`, `concurrency` at a time; the first error stops new work and is thrown once all workers are idle. */
async function runPool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let error: unknown = null;
  const worker = async () => {
    while (error === null && next < items.length) {
      try {
        await fn(items[next++]!);
      } catch (err) {
        error ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (error !== null) throw error;
}

/**
 * Brings the tenant's knowledge index in line with the folder `dir` (the tenant's `knowledge/`).
 *
 * Incremental by SHA-256 of each file's bytes: an unchanged file is only hashed, never parsed
 * (unless it was indexed by an older parser version); a
 * file with the same hash under a new path (rename, move) has its index entry moved, not
 * re-parsed; files gone from disk leave the index. Bad files (unsupported or binary, corrupt or
 * encrypted PDF, over `maxBytes`, invalid front matter, unknown kind) are reported in `failures`
 * with a reason while every other file is indexed. Runs are serialised per tenant (advisory lock).
 * Each file's audience follows the convention of `audience.ts` (sidecar `<file>.meta.yaml`, the
 * `internal/` folder, front matter); the sidecar and the folder are part of the document hash, so
 * changing either re-indexes the file. Sidecars are not documents; symbolic links are never
 * followed; both kinds of problem are listed in `failures`.
 * Afterwards a `knowledge_expired` signal is raised for each file past its `valid_until`.
 * @throws InputError when `dir` does not exist or is not a folder (the index is left untouched)
 */
export async function syncKnowledge(db: Db, tenantId: string, dir: string, opts: SyncOptions = {}): Promise<SyncResult> {
  const started = performance.now();
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) {
    throw new InputError(`Knowledge folder ${dir} does not exist or is not a folder`, {
      fix: `Create ${dir} and put the business's Markdown, PDF, HTML, DOCX, text or CSV files in it.`,
      code: 'knowledge_dir_missing',
    });
  }
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const currency = await tenantCurrency(db, tenantId);
  return await withTenantLock(db, tenantId, async () => {
    const scan = await scanFolder(dir);
    const files = scan.files.filter((f) => !isSidecar(f.rel));
    const sidecars = new Map(scan.files.filter((f) => isSidecar(f.rel)).map((f) => [sidecarTarget(f.rel), f]));
    const rows = await db
      .selectFrom('knowledge_documents')
      .select(['id', 'path', 'content_hash as hash', 'status', 'error', 'parser_version'])
      .where('tenant_id', '=', tenantId)
      .execute();
    const byPath = new Map<string, Existing>(rows.map((r) => [r.path, r]));
    const onDisk = new Set(files.map((f) => f.rel));
    const stats: SyncStats = { added: 0, changed: 0, unchanged: 0, moved: 0, deleted: 0, failed: 0, skipped: scan.links.length, parsed: 0, files: files.length, bytes: 0, ms: 0 };
    const failures: SyncFailure[] = [];
    let done = 0;
    const progress = (file: string) => opts.onProgress?.(++done, files.length, file);
    const fail = (file: string, reason: string) => {
      failures.push({ file, reason });
      stats.failed++;
    };
    // Reported like failures, but not documents: links not followed, sidecars without their file.
    for (const l of scan.links) failures.push({ file: l, reason: 'symbolic link: not followed (links are never followed, so nothing outside the knowledge folder is indexed); copy the file into the folder instead' });
    const linked = new Set(scan.links);
    for (const [target, side] of sidecars) {
      if (!onDisk.has(target) && !linked.has(target)) failures.push({ file: side.rel, reason: `sidecar without its file: there is no ${target} (a sidecar is named <file>${SIDECAR_SUFFIX}, next to the file)` });
    }

    // 1. Hash every file; unchanged ones are settled here without parsing.
    const work: Work[] = [];
    for (const f of files) {
      const existing = byPath.get(f.rel);
      if (f.size > maxBytes) {
        const reason = `file too large: ${(f.size / 1048576).toFixed(1)} MB is over the ${(maxBytes / 1048576).toFixed(1)} MB limit`;
        const marker = `oversize:${f.size}`;
        if (existing?.hash !== marker) await writeFailure(db, tenantId, { path: f.rel, hash: marker, size: f.size, docId: existing?.id }, formatOf(f.rel), reason);
        fail(f.rel, reason);
        progress(f.rel);
        continue;
      }
      let buf: Buffer;
      try {
        buf = await readFile(f.abs);
      } catch (err) {
        fail(f.rel, `cannot read the file: ${err instanceof Error ? err.message : String(err)}`);
        progress(f.rel);
        continue;
      }
      stats.bytes += buf.length;
      const side = sidecars.get(f.rel);
      const marking = await readMarking(f.rel, side);
      const hash = documentHash(sha256(buf), marking);
      if (existing && existing.hash === hash && existing.parser_version === PARSER_VERSION) {
        if (existing.status === 'failed') fail(f.rel, existing.error ?? 'failed earlier');
        else {
          stats.unchanged++;
          // An indexed file keeps its sidecar problem in `error` until the sidecar changes.
          if (existing.error && side) failures.push({ file: side.rel, reason: brokenSidecarReason(f.rel, existing.error) });
        }
        progress(f.rel);
        continue;
      }
      work.push({ file: { ...f, size: buf.length }, hash, buf: buf.length <= KEEP_BYTES ? buf : null, existing, marking });
    }

    // 2. Renames and moves: a new path whose hash belongs to an indexed file that is gone.
    const gone = new Map<string, Existing[]>();
    for (const r of rows) {
      if (onDisk.has(r.path) || r.status !== 'indexed' || r.parser_version !== PARSER_VERSION) continue;
      const list = gone.get(r.hash) ?? [];
      list.push(r);
      gone.set(r.hash, list);
    }
    const movedIds = new Set<string>();
    const toParse: Work[] = [];
    for (const w of work) {
      const from = !w.existing ? gone.get(w.hash)?.shift() : undefined;
      if (from) {
        await moveDocument(db, tenantId, from.id, w.file.rel);
        movedIds.add(from.id);
        stats.moved++;
        if (from.error) failures.push({ file: `${w.file.rel}${SIDECAR_SUFFIX}`, reason: brokenSidecarReason(w.file.rel, from.error) });
        progress(w.file.rel);
      } else toParse.push(w);
    }

    // 3. Parse and index new and changed files. Term statistics are updated in two batches
    //    (old terms out before, new terms in after): per-document updates would serialise writers.
    const replaced = toParse.filter((w) => w.existing?.status === 'indexed').map((w) => w.existing!.id);
    if (replaced.length) await db.transaction().execute((trx) => removeTermStats(trx, tenantId, replaced));
    const written: string[] = [];
    await runPool(toParse, opts.concurrency ?? 4, async (w) => {
      const warning = w.marking.broken;
      const file = { path: w.file.rel, hash: w.hash, size: w.file.size, docId: w.existing?.id, warning };
      stats.parsed++;
      let doc: Awaited<ReturnType<typeof parseKnowledgeFile>>;
      try {
        const buf = w.buf ?? (await readFile(w.file.abs));
        w.buf = null;
        doc = applyMarking(w.file.rel, await parseKnowledgeFile(w.file.rel, buf, currency), w.marking);
      } catch (err) {
        // Any parser error is a property of the file, not of AIOS: report it and carry on.
        const reason = err instanceof IngestError ? err.reason : `cannot be read: ${err instanceof Error ? err.message : String(err)}`;
        await writeFailure(db, tenantId, file, formatOf(w.file.rel), reason);
        fail(w.file.rel, reason);
        progress(w.file.rel);
        return;
      }
      written.push((await writeDocument(db, tenantId, file, doc)).docId);
      if (warning) failures.push({ file: sidecars.get(w.file.rel)!.rel, reason: brokenSidecarReason(w.file.rel, warning) });
      if (w.existing) stats.changed++;
      else stats.added++;
      progress(w.file.rel);
    });

    if (written.length) await db.transaction().execute((trx) => addTermStats(trx, tenantId, written));

    // 4. Files gone from disk leave the index.
    const deleted = rows.filter((r) => !onDisk.has(r.path) && !movedIds.has(r.id)).map((r) => r.id);
    await deleteDocuments(db, tenantId, deleted);
    stats.deleted = deleted.length;

    // 5. Expired files raise a signal for the owner.
    const expired = await raiseExpirySignals(db, tenantId, await tenantToday(db, tenantId, opts.now ?? new Date()));
    stats.ms = Math.round(performance.now() - started);
    failures.sort((a, b) => (a.file < b.file ? -1 : 1));
    return { stats, failures, expired };
  });
}
