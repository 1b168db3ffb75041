import type { ParsedDocument } from './extract.js';
import type { FrontMatter } from './front-matter.js';
import { IngestError } from './front-matter.js';
import { inInternalFolder, parseSidecar, resolveAudience } from './audience.js';
import { readNoFollow, sha256, type ScannedFile } from './scan.js';

/**
 * What marks a file's audience besides its own bytes: its sidecar and the `internal/` folder.
 * Both are part of the document's hash, so that editing a sidecar, or moving a file into or out
 * of `internal/`, re-indexes the file (its own content hash did not change).
 */
export interface Marking {
  /** The sidecar's fields when it exists and is valid. */
  sidecar: FrontMatter | null;
  /** Why the sidecar cannot be used (the file is then internal); null when fine or absent. */
  broken: string | null;
  /** Hash of the marking, mixed into the document hash; null when nothing marks the file. */
  hashPart: string | null;
}

/**
 * Reads the marking of `file` (`rel` relative to the knowledge folder). A sidecar that cannot be
 * read or parsed gives `broken` with the reason — never an exception.
 */
export async function readMarking(rel: string, sidecar: ScannedFile | undefined): Promise<Marking> {
  const parts: string[] = [];
  let meta: FrontMatter | null = null;
  let broken: string | null = null;
  if (sidecar) {
    let buf: Buffer | null = null;
    try {
      buf = await readNoFollow(sidecar.abs);
    } catch (err) {
      broken = `cannot read the sidecar: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (buf) {
      parts.push(`sidecar:${sha256(buf)}`);
      try {
        meta = parseSidecar(buf);
      } catch (err) {
        broken = err instanceof IngestError ? err.reason : `invalid sidecar: ${String(err)}`;
      }
    } else parts.push('sidecar:unreadable');
  }
  if (inInternalFolder(rel)) parts.push('folder:internal');
  return { sidecar: meta, broken, hashPart: parts.length ? parts.join('\n') : null };
}

/** The document hash: the file's own SHA-256, or — when something marks it — a hash of both. */
export function documentHash(fileHash: string, marking: Marking): string {
  return marking.hashPart === null ? fileHash : sha256(Buffer.from(`${fileHash}\n${marking.hashPart}`));
}

/** The reason reported for a broken sidecar of `rel`. */
export function brokenSidecarReason(rel: string, broken: string): string {
  return `${broken}; ${rel} is indexed as internal (never shown to website visitors) until the sidecar is fixed`;
}

/**
 * Applies the marking to a parsed document: the sidecar's fields win over the file's own, and the
 * audience is resolved by the rules of `audience.ts`.
 */
export function applyMarking(rel: string, doc: ParsedDocument, m: Marking): ParsedDocument {
  const s = m.sidecar ?? {};
  return {
    ...doc,
    kind: s.kind ?? doc.kind,
    title: s.title ?? doc.title,
    language: s.language ?? doc.language,
    validUntil: s.validUntil ?? doc.validUntil,
    keywords: s.keywords ?? doc.keywords,
    sourceUrl: s.sourceUrl ?? doc.sourceUrl,
    audience: resolveAudience(rel, doc.audience, m.broken !== null ? 'broken' : (s.audience ?? null)),
  };
}
