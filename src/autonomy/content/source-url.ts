import { InputError } from '../../core/errors.js';
import { guardFetch } from '../../connection/framework/guarded-fetch.js';
import { ConnectorError } from '../../connection/framework/connector-error.js';
import { crawlWebsite } from '../../knowledge/website/crawl.js';

/** One page read from the web, as a source file: its name (`<host><path>.md`) and Markdown text. */
export interface UrlSource {
  name: string;
  text: string;
  url: string;
}

/** Whole read of one page (robots.txt included), in milliseconds. */
export const URL_SOURCE_BUDGET_MS = 20_000;

/**
 * Reads one web page (a blog post, an article) as a content source, with the website importer:
 * http(s) only, robots.txt honoured, every hop through the instance's address policy (no
 * loopback, LAN or metadata address unless the instance allows it), the page cut at 2 MB, within
 * {@link URL_SOURCE_BUDGET_MS}. `fetchImpl` is for tests.
 * @throws InputError `content_unreadable` when the page cannot be read (with the reason),
 *   `address_refused` for a refused address, the connector's code for an unreachable host
 */
export async function readUrlSource(url: string, fetchImpl?: typeof fetch): Promise<UrlSource> {
  let r;
  try {
    r = await crawlWebsite({ url, fetch: guardFetch(fetchImpl), maxPages: 1, budgetMs: URL_SOURCE_BUDGET_MS, timeoutMs: 15_000 });
  } catch (err) {
    // A refused address or an unreachable host is the caller's to fix, not a server error.
    if (err instanceof ConnectorError) throw new InputError(`${url} cannot be read: ${err.message}`, { code: err.code, fix: err.fix || 'Check the address opens in a browser; or paste the article\'s text instead.' });
    throw err;
  }
  const page = r.pages[0];
  if (!page) {
    const why = r.skipped[0]?.reason ?? 'no page came back';
    throw new InputError(`${url} cannot be read: ${why}`, { code: 'content_unreadable', fix: 'Check the address opens in a browser without logging in; or copy the article\'s text and paste it instead.' });
  }
  const u = new URL(page.url);
  const name = `${u.hostname}${u.pathname.replace(/\/+$/, '').replace(/[^\w.-]+/g, '-')}.md`.slice(0, 300);
  const text = /^\s*#\s/.test(page.text) ? page.text : `# ${page.title}\n\n${page.text}`;
  return { name, text, url: page.url };
}
