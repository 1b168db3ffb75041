import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Connector, ConnectorItem, PollingTrigger } from '../framework/connector.js';
import { ConnectorError } from '../framework/connector-error.js';
import { davFetch } from './dav-http.js';
import { eventToJson, parseIcs } from './parse-ics.js';

/**
 * The `ics` connector: a read-only subscription to an iCalendar feed URL (e.g. a public holiday
 * calendar or a booking tool's export). Each poll is a conditional GET (`If-None-Match` /
 * `If-Modified-Since`); a 304 costs nothing. Changes are found per event (UID + RECURRENCE-ID) by
 * a hash of its VEVENT text; events missing from the new file are reported deleted.
 */

export const icsFeedCredentials = z.object({
  /** The feed's http(s) URL; `webcal://` is read as `https://`. */
  url: z.string().min(1),
  username: z.string().optional(),
  password: z.string().optional(),
  /** IANA zone for floating times and all-day dates (default UTC). */
  timeZone: z.string().default('UTC'),
});
export type IcsFeedCredentials = z.infer<typeof icsFeedCredentials>;

/** Cursor: the validators of the last response and a hash per event key. */
export interface IcsFeedCursor {
  etag: string | null;
  lastModified: string | null;
  /** SHA-256 (hex, 16 chars) of each event's VEVENT text, by `uid` or `uid#recurrence-id`. */
  hashes: Record<string, string>;
}

function feedUrl(u: string): string {
  const url = u.replace(/^webcal:/i, 'https:');
  if (!/^https?:\/\//i.test(url)) throw new ConnectorError('invalid_input', `Feed URL ${JSON.stringify(u)} is not http(s)`, { fix: 'Copy the feed link that starts with https:// (or webcal://).' });
  return url;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

function trigger(fetchImpl?: typeof fetch): PollingTrigger<IcsFeedCredentials, IcsFeedCursor> {
  return {
    id: 'calendar.feed',
    initialCursor: () => ({ etag: null, lastModified: null, hashes: {} }),
    async poll(ctx, cursor) {
      const c = ctx.credentials;
      const url = feedUrl(c.url);
      const f = davFetch({ ...(c.username !== undefined ? { username: c.username, password: c.password ?? '' } : {}) }, fetchImpl, ctx.signal);
      const headers: Record<string, string> = { Accept: 'text/calendar, */*;q=0.5' };
      if (cursor.etag) headers['If-None-Match'] = cursor.etag;
      if (cursor.lastModified) headers['If-Modified-Since'] = cursor.lastModified;
      const res = await f(url, { method: 'GET', headers });
      if (res.status === 304) return { items: [], nextCursor: cursor };
      if (!res.ok) {
        await res.body?.cancel();
        throw new ConnectorError(res.status === 404 || res.status === 410 ? 'invalid_input' : 'protocol', `Feed ${url} answered HTTP ${res.status}`, { fix: 'Open the feed URL in a browser; the link may have been revoked or moved.' });
      }
      const text = await res.text();
      const parsed = parseIcs(text, { defaultTimeZone: c.timeZone });
      const now = ctx.now();
      const hashes: Record<string, string> = {};
      const items: ConnectorItem[] = [];
      for (const e of parsed.events) {
        const h = hash(e.raw);
        hashes[e.key] = h;
        if (cursor.hashes[e.key] === h) continue;
        items.push({ externalId: `${e.key}#${h}`, type: cursor.hashes[e.key] ? 'calendar.event.changed' : 'calendar.event.created', occurredAt: now, payload: { feed: url, key: e.key, uid: e.uid, events: [eventToJson(e)] } });
      }
      const fileBroken = parsed.events.length === 0 && parsed.quarantined.some((q) => q.ref === 'file');
      if (!fileBroken) {
        for (const [key, old] of Object.entries(cursor.hashes)) {
          if (!(key in hashes)) items.push({ externalId: `${key}#deleted:${old}`, type: 'calendar.event.deleted', occurredAt: now, payload: { feed: url, key } });
        }
      }
      const quarantined = parsed.quarantined.map((q) => ({ externalId: `${url}#${hash(text)}:${q.ref}`, reason: q.reason, sample: `${text.length} bytes` }));
      // An unreadable file keeps the old state: nothing is reported deleted because of a broken download.
      const nextCursor: IcsFeedCursor = fileBroken ? cursor : { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified'), hashes };
      return { items, quarantined, nextCursor };
    },
  };
}

/**
 * Creates the read-only ICS feed connector.
 * @param fetchImpl optional fetch (tests).
 */
export function createIcsFeedConnector(fetchImpl?: typeof fetch): Connector<IcsFeedCredentials> {
  const t = trigger(fetchImpl);
  return {
    kind: 'ics',
    title: 'Calendar feed (ICS)',
    credentials: icsFeedCredentials,
    async validate(ctx) {
      const r = await t.poll(ctx, t.initialCursor());
      if (r.items.length === 0 && (r.quarantined?.length ?? 0) > 0) {
        throw new ConnectorError('invalid_input', `The feed is not a readable calendar: ${r.quarantined![0]!.reason}`, { fix: 'Check that the URL is the calendar\'s ICS export link, not its web page.' });
      }
    },
    polling: [t],
  };
}

export const icsFeedConnector = createIcsFeedConnector();
