import { join } from 'node:path';
import type { Db } from '../../store/db.js';
import { syncKnowledge } from '../sync.js';
import type { SyncStats } from '../types.js';
import { crawlWebsite, type CrawlOptions, type CrawlResult, type SkippedUrl } from './crawl.js';
import { writeWebsitePages } from './write-pages.js';

/** One page kept as knowledge. */
export interface ImportedPage {
  url: string;
  file: string;
  title: string;
  /** `added`: new or changed file; `unchanged`: the same text was already there. */
  status: 'added' | 'unchanged';
  /** True when the page was longer than the byte limit and only its start was kept. */
  cut: boolean;
}

/** What {@link importWebsite} did. */
export interface WebsiteImport {
  start: string;
  mode: CrawlResult['mode'];
  pages: ImportedPage[];
  skipped: SkippedUrl[];
  robots: CrawlResult['robots'];
  stoppedBy: CrawlResult['stoppedBy'];
  /** The knowledge sync that indexed the files (whole folder). */
  sync: SyncStats;
  /** Website files the sync could not index, with the reason. */
  failures: Array<{ file: string; reason: string }>;
  ms: number;
}

/**
 * Crawls the business's website ({@link crawlWebsite}), writes its pages into the tenant's
 * knowledge folder as `website/<path>.md` (customer-facing: the pages are public) and indexes
 * the folder, so the pages answer questions with the page URL as citation.
 */
export async function importWebsite(db: Db, tenantId: string, knowledgeDir: string, opts: CrawlOptions & { now?: Date }): Promise<WebsiteImport> {
  const t0 = Date.now();
  const crawl = await crawlWebsite(opts);
  const { written } = await writeWebsitePages(knowledgeDir, crawl.pages);
  const fresh = new Set(written);
  const synced = await syncKnowledge(db, tenantId, knowledgeDir, { now: opts.now });
  return {
    start: crawl.start,
    mode: crawl.mode,
    pages: crawl.pages.map((p) => ({ url: p.url, file: p.file, title: p.title, status: fresh.has(p.file) ? 'added' : 'unchanged', cut: p.cut })),
    skipped: crawl.skipped,
    robots: crawl.robots,
    stoppedBy: crawl.stoppedBy,
    sync: synced.stats,
    failures: synced.failures.filter((f) => f.file.startsWith('website/')).map((f) => ({ file: f.file, reason: f.reason })),
    ms: Date.now() - t0,
  };
}

/** The knowledge folder of a tenant folder. */
export function knowledgeDirOf(tenantDir: string): string {
  return join(tenantDir, 'knowledge');
}
