import { ConnectorError } from '../framework/connector-error.js';

/**
 * CalDAV change detection. With WebDAV sync (RFC 6578) the server lists what changed since a
 * sync-token, deletions included (status 404). Without it (or when the token has expired) AIOS
 * lists every href with its ETag and compares with the ETags it saw last time.
 */

/** The cursor the engine stores for a CalDAV connection. */
export interface CalDavCursor {
  /** The server's sync-token after the last complete poll, or null (never synced / unsupported). */
  syncToken: string | null;
  /** ETag last seen per href (server path, e.g. `/test/cal/abc.ics`). */
  etags: Record<string, string>;
}

/** What changed since the cursor. */
export interface CalDavChanges {
  /** Hrefs with a new or different ETag, and that ETag. */
  changed: Array<{ href: string; etag: string }>;
  /** Hrefs that are gone. */
  deleted: string[];
  /** Token to store once every change is consumed (null without sync support). */
  newToken: string | null;
  mode: 'sync-token' | 'etag';
}

type F = typeof fetch;

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && '_text' in v) return String((v as { _text: unknown })._text);
  if (v && typeof v === 'object' && '_cdata' in v) return String((v as { _cdata: unknown })._cdata);
  return null;
}

function decodeHref(h: string): string {
  try {
    return new URL(h, 'http://x').pathname;
  } catch {
    return h;
  }
}

async function viaSyncToken(url: string, cursor: CalDavCursor, f: F): Promise<CalDavChanges | null> {
  const { syncCollection } = await import('tsdav'); // tsdav (and its XML parser) loads when a calendar is first synced
  const res = await syncCollection({ url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: cursor.syncToken ?? '', fetch: f });
  const multistatus = (res[0]?.raw as { multistatus?: { syncToken?: unknown } } | undefined)?.multistatus;
  if (!multistatus) return null; // not supported, or the token was refused (403/409 valid-sync-token): fall back
  const newToken = str(multistatus.syncToken);
  if (!newToken) return null;
  const changed: CalDavChanges['changed'] = [];
  const deleted: string[] = [];
  const own = new URL(url).pathname;
  for (const r of res) {
    if (!r.href) continue;
    const href = decodeHref(r.href);
    if (href === own) continue;
    if (r.status === 404) {
      if (cursor.etags[href] !== undefined) deleted.push(href);
      continue;
    }
    const etag = str(r.props?.getetag);
    if (etag && cursor.etags[href] !== etag) changed.push({ href, etag });
  }
  // A non-initial token only reports changes; an initial one lists everything (deletions implicit).
  if (!cursor.syncToken) for (const href of Object.keys(cursor.etags)) if (!res.some((r) => r.href && decodeHref(r.href) === href)) deleted.push(href);
  return { changed, deleted, newToken, mode: 'sync-token' };
}

async function viaEtags(url: string, cursor: CalDavCursor, f: F): Promise<CalDavChanges> {
  const { propfind } = await import('tsdav');
  const res = await propfind({ url, props: { 'd:getetag': {} }, depth: '1', fetch: f });
  if (res.length === 1 && !res[0]!.ok && !res[0]!.props) {
    const s = res[0]!.status;
    throw new ConnectorError(s === 404 ? 'invalid_input' : 'protocol', `Listing the calendar ${url} failed: HTTP ${s}`, {
      fix: s === 404 ? 'The calendar no longer exists: pick another calendar for this connection.' : 'Check that the URL points to a CalDAV calendar collection.',
    });
  }
  const own = new URL(url).pathname;
  const seen = new Set<string>();
  const changed: CalDavChanges['changed'] = [];
  for (const r of res) {
    if (!r.href || !r.ok) continue;
    const href = decodeHref(r.href);
    const etag = str(r.props?.getetag);
    if (href === own || !etag) continue;
    seen.add(href);
    if (cursor.etags[href] !== etag) changed.push({ href, etag });
  }
  const deleted = Object.keys(cursor.etags).filter((h) => !seen.has(h));
  return { changed, deleted, newToken: null, mode: 'etag' };
}

/** Lists changes since `cursor`, by sync-token when the server supports it, else by ETag. */
export async function listChanges(url: string, cursor: CalDavCursor, f: F): Promise<CalDavChanges> {
  return (await viaSyncToken(url, cursor, f)) ?? (cursor.syncToken ? (await viaSyncToken(url, { ...cursor, syncToken: null }, f)) : null) ?? viaEtags(url, cursor, f);
}

/** Fetches calendar data for hrefs (one REPORT calendar-multiget per 100 hrefs). */
export async function fetchObjects(url: string, hrefs: string[], f: F): Promise<Map<string, { etag: string | null; data: string | null; status: number }>> {
  const out = new Map<string, { etag: string | null; data: string | null; status: number }>();
  const { calendarMultiGet } = await import('tsdav');
  for (let i = 0; i < hrefs.length; i += 100) {
    const batch = hrefs.slice(i, i + 100);
    const res = await calendarMultiGet({ url, props: { 'd:getetag': {}, 'c:calendar-data': {} }, objectUrls: batch, depth: '1', fetch: f });
    for (const r of res) {
      if (!r.href) continue;
      out.set(decodeHref(r.href), { etag: str(r.props?.getetag), data: str(r.props?.calendarData), status: r.status });
    }
  }
  return out;
}
