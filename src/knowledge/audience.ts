import { parse as parseYaml } from 'yaml';
import { checkMeta, IngestError, type FrontMatter } from './front-matter.js';

/**
 * Who a knowledge file is for. The same convention holds for every format (Markdown, text, HTML,
 * PDF, DOCX, CSV):
 *
 * 1. a sidecar `<file>.meta.yaml` next to the file (`door-codes.html.meta.yaml` with
 *    `audience: internal`) wins over everything;
 * 2. a file anywhere under a folder named `internal/` (any depth, any letter case) is never
 *    customer-facing: its audience is `internal` unless its front matter names another
 *    non-customer audience (`staff`);
 * 3. otherwise the front matter's `audience:` (Markdown and text only);
 * 4. otherwise none: customer-facing (the default, unchanged).
 *
 * Only files whose audience is none or `customers` answer website visitors. A sidecar that cannot
 * be read or is invalid makes its file `internal` (fail closed) and is reported.
 */

/** Audience of customer-facing knowledge (what website visitors may read). */
export const CUSTOMER_AUDIENCE = 'customers';
/** Audience given by the `internal/` folder and by a broken sidecar. */
export const INTERNAL_AUDIENCE = 'internal';
/** Name ending of a sidecar: `<file>.meta.yaml`. */
export const SIDECAR_SUFFIX = '.meta.yaml';
/** Largest sidecar read, in bytes; a larger one is invalid. */
export const SIDECAR_MAX_BYTES = 64 * 1024;

/** True for a sidecar's relative path (`a/b.html.meta.yaml`); sidecars are never documents. */
export function isSidecar(rel: string): boolean {
  return rel.toLowerCase().endsWith(SIDECAR_SUFFIX) && rel.length > SIDECAR_SUFFIX.length && !rel.endsWith(`/${SIDECAR_SUFFIX}`);
}

/** The file a sidecar describes: `a/b.html.meta.yaml` → `a/b.html`. */
export function sidecarTarget(rel: string): string {
  return rel.slice(0, -SIDECAR_SUFFIX.length);
}

/** True when one of the folders of `rel` (not the file name itself) is named `internal`, in any case. */
export function inInternalFolder(rel: string): boolean {
  return rel.split('/').slice(0, -1).some((s) => s.toLowerCase() === INTERNAL_AUDIENCE);
}

/**
 * Parses a sidecar's bytes: the front-matter fields except `facts` (`audience`, `title`, `kind`,
 * `valid_until`, `language`, `keywords`), unknown fields refused.
 * @throws IngestError with the problem (too large, YAML, unknown or wrong field).
 */
export function parseSidecar(buf: Buffer): FrontMatter {
  if (buf.length > SIDECAR_MAX_BYTES) throw new IngestError(`invalid sidecar: over ${SIDECAR_MAX_BYTES / 1024} KiB`);
  let raw: unknown;
  try {
    raw = parseYaml(buf.toString('utf8').replace(/^\uFEFF/, ''), { prettyErrors: false });
  } catch (err) {
    throw new IngestError(`invalid sidecar: YAML does not parse (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  return checkMeta(raw, 'invalid sidecar', { strict: true });
}

/** An audience as written, normalised: trimmed and lower-case; empty → null. */
function normalise(a: string | null | undefined): string | null {
  const v = a?.trim().toLowerCase();
  return v ? v : null;
}

/**
 * The audience a file is indexed with (see the module comment for the rules).
 * @param rel path relative to the knowledge folder, forward slashes
 * @param frontMatter the audience written in the file itself (null when none)
 * @param sidecar the sidecar's audience: a string, null (no sidecar or no `audience:` in it), or
 *   `'broken'` when the sidecar exists but cannot be read or is invalid
 * @returns null (customer-facing by default) or the audience name
 */
export function resolveAudience(rel: string, frontMatter: string | null, sidecar: string | null | 'broken'): string | null {
  if (sidecar === 'broken') return INTERNAL_AUDIENCE;
  const fromSidecar = normalise(sidecar);
  if (fromSidecar) return fromSidecar;
  const written = normalise(frontMatter);
  if (inInternalFolder(rel)) return written && written !== CUSTOMER_AUDIENCE ? written : INTERNAL_AUDIENCE;
  return written;
}

/** True when an indexed audience may answer website visitors: none (the default) or `customers`. */
export function isCustomerFacing(audience: string | null): boolean {
  return audience === null || audience === CUSTOMER_AUDIENCE;
}
