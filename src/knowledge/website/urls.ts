import { createHash } from 'node:crypto';

/** File name endings that are never web pages (assets, downloads): not fetched. */
const ASSET = /\.(?:png|jpe?g|gif|webp|svg|ico|bmp|tiff?|css|js|mjs|map|json|woff2?|ttf|otf|eot|mp[34]|m4a|wav|ogg|webm|mov|avi|zip|gz|tgz|rar|7z|exe|dmg|pdf|docx?|xlsx?|pptx?|csv)$/i;

/**
 * A link resolved against `base`, without its #fragment; null for anything that is not http(s)
 * (mailto:, tel:, javascript:) or does not parse.
 */
export function resolveLink(href: string, base: string | URL): URL | null {
  let u: URL;
  try {
    u = new URL(href.trim(), base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  return u;
}

/** True when both URLs have the same scheme, host and port (the crawl never leaves its site). */
export function sameSite(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}

/** True for URLs whose path names an asset or a download rather than a page. */
export function isAsset(u: URL): boolean {
  return ASSET.test(u.pathname);
}

function segment(s: string): string {
  let d: string;
  try {
    d = decodeURIComponent(s);
  } catch {
    d = s;
  }
  const clean = d
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return clean.slice(0, 80) || 'page';
}

/**
 * Where a page's knowledge file goes, relative to the knowledge folder: `website/<path>.md`.
 * `/` → `website/index.md`; `/services/drain-cleaning.html` → `website/services/drain-cleaning.md`;
 * a query string adds a short hash (`/faq?lang=fr` → `website/faq-q3f2a1b.md`). Segments are
 * reduced to `[a-z0-9._-]`, so no path can climb out of the folder.
 */
export function pageFile(u: URL): string {
  const parts = u.pathname.split('/').filter(Boolean).map(segment);
  if (parts.length === 0 || u.pathname.endsWith('/')) parts.push('index');
  let last = parts.pop()!.replace(/\.(?:html?|php|aspx?|jsp)$/i, '') || 'index';
  if (u.search) last += `-q${createHash('sha256').update(u.search).digest('hex').slice(0, 7)}`;
  return ['website', ...parts, `${last}.md`].join('/');
}
