import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A file found in the knowledge folder. */
export interface ScannedFile {
  /** Relative path with forward slashes. */
  rel: string;
  abs: string;
  /** Bytes. */
  size: number;
}

/** Names never indexed: hidden files, editor and office lock/backup files, OS litter. */
export function isIgnored(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.startsWith('~$') ||
    name.endsWith('~') ||
    /\.(swp|swo|tmp|bak|part|crdownload)$/i.test(name) ||
    /^(thumbs\.db|desktop\.ini)$/i.test(name)
  );
}

/** What {@link scanFolder} found. */
export interface ScanResult {
  /** Regular files (sorted by path), sidecars included. */
  files: ScannedFile[];
  /** Relative paths of symbolic links (to files or folders), which are never followed. */
  links: string[];
}

/**
 * Lists the folder recursively, sorted by path, skipping ignored names. Symbolic links are never
 * followed — neither to files nor to folders, inside or outside the knowledge folder — so nothing
 * outside it can be indexed through a link (and link cycles cannot occur); they are returned in
 * `links` to be reported. The folder `dir` itself may be a link.
 */
export async function scanFolder(dir: string): Promise<ScanResult> {
  const out: ScannedFile[] = [];
  const links: string[] = [];
  async function walk(abs: string, rel: string): Promise<void> {
    const entries = await readdir(abs, { withFileTypes: true });
    for (const e of entries) {
      if (isIgnored(e.name)) continue;
      const a = join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) links.push(r);
      else if (e.isDirectory()) await walk(a, r);
      else if (e.isFile()) {
        const s = await stat(a).catch(() => null);
        if (s?.isFile()) out.push({ rel: r, abs: a, size: s.size });
      }
    }
  }
  await walk(dir, '');
  const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { files: out.sort((a, b) => byPath(a.rel, b.rel)), links: links.sort(byPath) };
}

/**
 * Reads a file without following a symbolic link in its last component (`O_NOFOLLOW`), so a file
 * swapped for a link between the scan and the read is refused (ELOOP) rather than read.
 */
export async function readNoFollow(abs: string): Promise<Buffer> {
  const fh = await open(abs, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** SHA-256 hex of bytes. */
export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}
