/** What a sitemap document lists: pages (`<urlset>`) or further sitemaps (`<sitemapindex>`). */
export interface Sitemap {
  kind: 'urlset' | 'index';
  /** The `<loc>` URLs, in document order, XML entities decoded. */
  locs: string[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!)
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .trim();
}

/** True when `text` looks like a sitemap (`<urlset` or `<sitemapindex` near the start). */
export function looksLikeSitemap(text: string): boolean {
  return /<(?:[a-z]+:)?(?:urlset|sitemapindex)[\s>]/i.test(text.slice(0, 2000));
}

/**
 * Reads a sitemap (sitemaps.org protocol): the `<loc>` of every `<url>` or, for a sitemap index,
 * of every `<sitemap>`. Tolerant of namespaces prefixes and CDATA; null when it is not a sitemap.
 */
export function parseSitemap(xml: string): Sitemap | null {
  if (!looksLikeSitemap(xml)) return null;
  const kind = /<(?:[a-z]+:)?sitemapindex[\s>]/i.test(xml.slice(0, 2000)) ? 'index' : 'urlset';
  const locs = [...xml.matchAll(/<(?:[a-z]+:)?loc>([\s\S]*?)<\/(?:[a-z]+:)?loc>/gi)].map((m) => decode(m[1]!)).filter(Boolean);
  return { kind, locs };
}
