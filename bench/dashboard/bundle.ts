/**
 * The dashboard's bundle as the browser pays for it: every `web/dist/assets/*.js` and `*.css`
 * gzipped with zlib level 9 (bytes), and which of them `index.html` loads up front (its module
 * script, its stylesheets and its modulepreload links: the initial chunk set).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

/** One built file: raw and gzipped size in bytes, and whether index.html loads it at once. */
export interface BundleFile {
  file: string;
  bytes: number;
  gzip: number;
  initial: boolean;
}

/** Sizes of every JS/CSS asset in `dist`, initial files first, then by gzipped size. */
export function bundleSizes(dist: string): BundleFile[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/(?:src|href)="\/?assets\/([^"]+)"/g)].map((m) => m[1]!));
  const files = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
  return files
    .map((file) => {
      const buf = readFileSync(join(dist, 'assets', file));
      return { file, bytes: buf.length, gzip: gzipSync(buf, { level: constants.Z_BEST_COMPRESSION }).length, initial: initial.has(file) };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip);
}
