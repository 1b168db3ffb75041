import { lstat, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../../core/errors.js';
import { inferKind } from '../extract.js';
import type { CrawledPage } from './crawl.js';

/** The knowledge file text of a crawled page: front matter (title, kind, source_url, fetched_at) and the page's text. */
export function pageDocument(p: CrawledPage): string {
  const meta = { title: p.title, kind: inferKind(p.file, 'markdown'), source_url: p.url, fetched_at: p.fetchedAt, ...(p.cut ? { note: `only the first ${p.bytes} bytes of the page were read` } : {}) };
  return `---\n${stringify(meta, { lineWidth: 0 }).trimEnd()}\n---\n${p.text}\n`;
}

/** The part of a knowledge file after its front matter, and its `source_url:` line. */
function bodyAndSource(text: string): { body: string; source: string | null } {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  return { body: m ? text.slice(m[0].length) : text, source: m ? (/^source_url: (.*)$/m.exec(m[1]!)?.[1]?.trim() ?? null) : null };
}

/** True when some folder between `root` and `dir` is a symbolic link (writing there could leave the folder). */
async function throughLink(root: string, dir: string): Promise<boolean> {
  const rel = dir.slice(root.length).split(sep).filter(Boolean);
  let at = root;
  for (const part of rel) {
    at = join(at, part);
    const st = await lstat(at).catch(() => null);
    if (st?.isSymbolicLink()) return true;
  }
  return false;
}

/**
 * Writes crawled pages as Markdown knowledge files under `knowledgeDir` (`website/<path>.md`).
 * A file whose page text and source are unchanged is left alone (no re-index for a new
 * `fetched_at` only). Never writes through a symbolic link.
 * @returns relative paths written and left unchanged
 * @throws InputError when a folder on the way is a symbolic link
 */
export async function writeWebsitePages(knowledgeDir: string, pages: CrawledPage[]): Promise<{ written: string[]; unchanged: string[] }> {
  await mkdir(knowledgeDir, { recursive: true });
  const root = await realpath(knowledgeDir);
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const p of pages) {
    const target = join(root, ...p.file.split('/'));
    if (await throughLink(root, target)) throw new InputError(`${dirname(p.file)} in the knowledge folder is a symbolic link: website pages are not written through it`, { fix: 'Replace the link with a real folder, then crawl again.' });
    const doc = pageDocument(p);
    const old = await readFile(target, 'utf8').catch(() => null);
    if (old !== null) {
      const a = bodyAndSource(old);
      const b = bodyAndSource(doc);
      if (a.body === b.body && a.source === b.source) {
        unchanged.push(p.file);
        continue;
      }
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, doc);
    written.push(p.file);
  }
  return { written, unchanged };
}
