import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
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

/** Lists the folder recursively (following symlinked files, skipping ignored names), sorted by path. */
export async function scanFolder(dir: string): Promise<ScannedFile[]> {
  const out: ScannedFile[] = [];
  async function walk(abs: string, rel: string): Promise<void> {
    const entries = await readdir(abs, { withFileTypes: true });
    for (const e of entries) {
      if (isIgnored(e.name)) continue;
      const a = join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(a, r);
      else if (e.isFile() || e.isSymbolicLink()) {
        const s = await stat(a).catch(() => null);
        if (s?.isFile()) out.push({ rel: r, abs: a, size: s.size });
        else if (s?.isDirectory()) await walk(a, r);
      }
    }
  }
  await walk(dir, '');
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** SHA-256 hex of bytes. */
export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}
