import { cp, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AiosError } from '../core/errors.js';
import { api, type Target } from './client.js';

/** The checklist as `GET /api/v1/onboarding` answers it. */
export interface Checklist {
  business: { slug: string; name: string };
  steps: Array<{ id: string; title: string; done: boolean; detail: string; command: string; page: string }>;
  doneCount: number;
  total: number;
  next: string | null;
}

/** What a crawl answered (`POST /api/v1/knowledge/website`). */
export interface CrawlAnswer {
  start: string;
  mode: string;
  pages: Array<{ url: string; file: string; title: string; status: string; cut: boolean }>;
  skipped: Array<{ url: string; reason: string }>;
  stoppedBy: string | null;
  ms: number;
}

/** The business's checklist. */
export function fetchChecklist(t: Target): Promise<Checklist> {
  return api<Checklist>(t, 'GET', '/api/v1/onboarding');
}

/** Crawls the website into knowledge. */
export function crawlSite(t: Target, url: string, maxPages?: number): Promise<CrawlAnswer> {
  return api<CrawlAnswer>(t, 'POST', '/api/v1/knowledge/website', { url, ...(maxPages ? { maxPages } : {}) });
}

/**
 * Imports a contacts or invoices CSV through `POST /api/v1/imports/<kind>` (the same import as
 * `aios import`), and returns its per-row report.
 * @throws AiosError when the file cannot be read or the import is refused
 */
export async function importCsvFile(t: Target, kind: 'contacts' | 'invoices', file: string): Promise<{ format: string; total: number; imported: number; updated: number; skipped: number }> {
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    throw new AiosError('file_not_found', `cannot read ${file}`, { fix: 'Check the path of the CSV export.' });
  }
  const res = await fetch(`${t.url}/api/v1/imports/${kind}`, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'content-type': 'text/csv' }, body });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new AiosError(String(json.error ?? res.status), String(json.message ?? `HTTP ${res.status}`), { fix: String(json.fix ?? '') });
  const n = (k: string) => (typeof json[k] === 'number' ? (json[k] as number) : 0);
  return { format: String(json.format ?? ''), total: n('total'), imported: n('imported'), updated: n('updated'), skipped: n('skipped') };
}

/** Connects a calendar feed (ICS export link), checked by the running AIOS before it is saved. */
export async function connectIcs(t: Target, url: string): Promise<{ id: string; name: string }> {
  const r = await api<{ connection: { id: string; name: string } }>(t, 'POST', '/api/v1/connections', { kind: 'ics', name: 'Calendar', credentials: { url } });
  return r.connection;
}

/** Connects a mailbox (IMAP credentials as JSON, as `aios connect imap --credentials`). */
export async function connectImap(t: Target, credentials: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const r = await api<{ connection: { id: string; name: string } }>(t, 'POST', '/api/v1/connections', { kind: 'imap', name: 'Mailbox', credentials });
  return r.connection;
}

/**
 * Copies a folder of documents into the business's knowledge folder (`imported/<folder name>/`)
 * and indexes it. Symbolic links are copied as links, and the sync never follows them.
 * @throws AiosError when the folder does not exist
 */
export async function importFolder(t: Target, dir: string): Promise<{ into: string; stats: Record<string, number> }> {
  const src = resolve(dir);
  const st = await stat(src).catch(() => null);
  if (!st?.isDirectory()) throw new AiosError('bad_input', `${dir} is not a folder`, { fix: 'Give the folder that holds your price lists, FAQs and policies.' });
  const into = join('imported', basename(src).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'documents');
  await cp(src, join(t.home, 'tenants', t.slug, 'knowledge', into), { recursive: true, verbatimSymlinks: true, force: true });
  const r = await api<{ stats: Record<string, number> }>(t, 'POST', '/api/v1/knowledge/sync');
  return { into, stats: r.stats };
}
