import { z } from 'zod';
import type { Connector, ConnectorContext, ConnectorItem, PollingTrigger, QuarantinedItem } from '../framework/connector.js';
import { ConnectorError } from '../framework/connector-error.js';
import { collectionUrl, davFetch } from './dav-http.js';
import { fetchObjects, listChanges, type CalDavCursor } from './caldav-sync.js';
import { eventToJson, parseIcs } from './parse-ics.js';
import { applyChange, buildIcs, cancelInput, createInput, uidFor, updateInput, type WriteResult } from './caldav-actions.js';

/**
 * The `caldav` connector: polls one calendar collection (sync-token, else ETags) and writes events
 * (`calendar.create`, `calendar.update`, `calendar.cancel`). Items are one per changed or deleted
 * object (href); their external id is `href#etag` (or `href#deleted:etag`), so a later change of
 * the same object is a new item and a replayed poll is deduplicated by the engine.
 */

export const caldavCredentials = z
  .object({
    /** Server root, e.g. `https://dav.example.com/` (TLS is verified). */
    serverUrl: z.string().url(),
    username: z.string().min(1),
    password: z.string(),
    /** The calendar collection (absolute URL or path on the server). */
    calendarUrl: z.string().min(1).optional(),
    /** Or the calendar's display name, found by discovery. */
    calendarName: z.string().min(1).optional(),
    /** IANA zone for floating times and all-day dates (default UTC). */
    timeZone: z.string().default('UTC'),
  })
  .refine((c) => c.calendarUrl !== undefined || c.calendarName !== undefined, { message: 'give calendarUrl or calendarName' });
export type CalDavCredentials = z.infer<typeof caldavCredentials>;

export interface CalDavOptions {
  /** Most objects fetched per poll (default 500); the rest come with `more: true`. */
  batchSize?: number;
  /** A fetch to use instead of the global one (tests). */
  fetch?: typeof fetch;
}

type Ctx = ConnectorContext<CalDavCredentials>;

/** The calendar collection URL for a connection (discovers it by display name when needed). */
export async function resolveCalendarUrl(ctx: Ctx, f: typeof fetch): Promise<string> {
  const c = ctx.credentials;
  if (c.calendarUrl) return collectionUrl(c.calendarUrl, c.serverUrl);
  const { createAccount, fetchCalendars } = await import('tsdav'); // loaded when a calendar is first used
  const account = await createAccount({ account: { serverUrl: c.serverUrl, accountType: 'caldav' }, fetch: f }).catch((err: unknown) => {
    if (err instanceof ConnectorError) throw err;
    throw new ConnectorError('protocol', `CalDAV discovery at ${c.serverUrl} failed: ${err instanceof Error ? err.message : String(err)}`, { fix: 'Give the calendar URL directly (calendarUrl) instead of its name.', cause: err });
  });
  const cals = await fetchCalendars({ account, fetch: f });
  const name = (x: unknown) => (typeof x === 'string' ? x : '');
  const hit = cals.find((k) => name(k.displayName) === c.calendarName);
  if (!hit) {
    throw new ConnectorError('invalid_input', `No calendar named ${JSON.stringify(c.calendarName)} for ${c.username}; found: ${cals.map((k) => JSON.stringify(name(k.displayName))).join(', ') || 'none'}`, {
      fix: 'Correct calendarName (it must match the display name exactly) or give calendarUrl.',
    });
  }
  return collectionUrl(hit.url, c.serverUrl);
}

function http(ctx: Ctx, opts: CalDavOptions): typeof fetch {
  return davFetch({ username: ctx.credentials.username, password: ctx.credentials.password }, opts.fetch, ctx.signal);
}

function pollTrigger(opts: CalDavOptions): PollingTrigger<CalDavCredentials, CalDavCursor> {
  const batch = opts.batchSize ?? 500;
  return {
    id: 'calendar.sync',
    initialCursor: () => ({ syncToken: null, etags: {} }),
    async poll(ctx, cursor) {
      const f = http(ctx, opts);
      const url = await resolveCalendarUrl(ctx, f);
      const changes = await listChanges(url, cursor, f);
      const etags = { ...cursor.etags };
      const items: ConnectorItem[] = [];
      const quarantined: QuarantinedItem[] = [];
      const now = ctx.now();
      for (const href of changes.deleted) {
        items.push({ externalId: `${href}#deleted:${etags[href] ?? ''}`, type: 'calendar.event.deleted', occurredAt: now, payload: { href, calendarUrl: url } });
        delete etags[href];
      }
      const todo = changes.changed.slice(0, batch);
      const objects = await fetchObjects(url, todo.map((c) => c.href), f);
      for (const { href, etag: listed } of todo) {
        const obj = objects.get(href);
        if (!obj || obj.status === 404) {
          // Deleted between listing and fetching: the next poll reports the deletion.
          continue;
        }
        const etag = obj.etag ?? listed;
        const created = cursor.etags[href] === undefined;
        etags[href] = etag;
        const externalId = `${href}#${etag}`;
        if (!obj.data) {
          quarantined.push({ externalId, reason: `the server returned no calendar data for ${href} (HTTP ${obj.status})` });
          continue;
        }
        const parsed = parseIcs(obj.data, { defaultTimeZone: ctx.credentials.timeZone });
        for (const q of parsed.quarantined) quarantined.push({ externalId: `${externalId}:${q.ref}`, reason: q.reason, sample: obj.data.slice(0, 200) });
        if (parsed.events.length === 0) continue;
        items.push({
          externalId,
          type: created ? 'calendar.event.created' : 'calendar.event.changed',
          occurredAt: now,
          payload: { href, etag, calendarUrl: url, uid: parsed.events[0]!.uid, events: parsed.events.map(eventToJson) },
        });
      }
      const more = changes.changed.length > todo.length;
      // The token advances only once every change is consumed; until then ETags skip what is done.
      const nextCursor: CalDavCursor = { syncToken: more ? cursor.syncToken : changes.newToken, etags };
      return { items, quarantined, nextCursor, more, progress: { done: todo.length, total: changes.changed.length } };
    },
  };
}

async function getObject(f: typeof fetch, href: string): Promise<{ text: string; etag: string | null } | null> {
  const res = await f(href, { method: 'GET' });
  if (res.status === 404) return null;
  if (!res.ok) throw new ConnectorError('protocol', `GET ${href} failed: HTTP ${res.status}`, { fix: 'Check that the event URL points into the calendar.' });
  return { text: await res.text(), etag: res.headers.get('etag') };
}

async function put(f: typeof fetch, href: string, body: string, pre: Record<string, string>): Promise<Response> {
  return f(href, { method: 'PUT', headers: { 'Content-Type': 'text/calendar; charset=utf-8', ...pre }, body });
}

function rejected(res: Response, what: string): ConnectorError {
  return new ConnectorError(res.status === 400 || res.status === 415 ? 'invalid_input' : 'protocol', `${what} was refused: HTTP ${res.status} ${res.statusText}`, {
    fix: 'Check the event data (times, attendees); the server log may name the field.',
  });
}

/** Reads, changes and writes back an object, retrying once when it changed in between (412). */
async function modify(ctx: Ctx, opts: CalDavOptions, uid: string, hrefIn: string | undefined, change: Parameters<typeof applyChange>[1]): Promise<WriteResult> {
  const f = http(ctx, opts);
  const href = new URL(hrefIn ?? `${encodeURIComponent(uid)}.ics`, await resolveCalendarUrl(ctx, f)).href;
  for (let attempt = 0; attempt < 2; attempt++) {
    const cur = await getObject(f, href);
    if (!cur) throw new ConnectorError('invalid_input', `No event ${uid} at ${href}`, { fix: 'Sync the calendar and pass the event href, or check that the event was not deleted.' });
    const next = applyChange(cur.text, change, ctx.now());
    if (next === null) return { uid, href, etag: cur.etag, changed: false };
    const res = await put(f, href, next, cur.etag ? { 'If-Match': cur.etag } : {});
    if (res.status === 412) continue;
    if (!res.ok) throw rejected(res, `Updating ${uid}`);
    return { uid, href, etag: res.headers.get('etag'), changed: true };
  }
  throw new ConnectorError('network', `Event ${uid} kept changing while AIOS updated it`, { fix: 'AIOS retries; if it persists, someone is editing the event right now.' });
}

/**
 * Creates the CalDAV connector.
 * @param opts batch size per poll and an optional fetch.
 */
export function createCalDavConnector(opts: CalDavOptions = {}): Connector<CalDavCredentials> {
  return {
    kind: 'caldav',
    title: 'Calendar (CalDAV)',
    credentials: caldavCredentials,
    async validate(ctx) {
      const f = http(ctx, opts);
      const url = await resolveCalendarUrl(ctx, f);
      const { propfind } = await import('tsdav');
      const res = await propfind({ url, props: { 'd:resourcetype': {} }, depth: '0', fetch: f });
      const rt = JSON.stringify(res[0]?.props?.resourcetype ?? '');
      if (!res[0]?.ok || !rt.includes('calendar')) {
        throw new ConnectorError('invalid_input', `${url} is not a CalDAV calendar (HTTP ${res[0]?.status ?? '?'})`, { fix: 'Check the calendar URL or name; open it in a browser or calendar app to confirm it exists.' });
      }
    },
    polling: [pollTrigger(opts)],
    actions: [
      {
        id: 'calendar.create',
        effect: 'write',
        idempotent: true,
        input: createInput,
        async run(ctx, input: z.infer<typeof createInput>, idempotencyKey): Promise<WriteResult> {
          const uid = uidFor(idempotencyKey);
          const f = http(ctx, opts);
          const href = new URL(`${uid}.ics`, await resolveCalendarUrl(ctx, f)).href;
          const res = await put(f, href, buildIcs(uid, input, ctx.now()), { 'If-None-Match': '*' });
          if (res.status === 412) return { uid, href, etag: (await getObject(f, href))?.etag ?? null, changed: false };
          if (!res.ok) throw rejected(res, `Creating "${input.summary}"`);
          return { uid, href, etag: res.headers.get('etag'), changed: true };
        },
      },
      {
        id: 'calendar.update',
        effect: 'write',
        idempotent: true,
        input: updateInput,
        run: (ctx, input: z.infer<typeof updateInput>) => {
          const { uid, href, ...change } = input;
          return modify(ctx, opts, uid, href, change);
        },
      },
      {
        id: 'calendar.cancel',
        effect: 'write',
        idempotent: true,
        input: cancelInput,
        async run(ctx, input: z.infer<typeof cancelInput>): Promise<WriteResult> {
          if (input.mode === 'cancel') return modify(ctx, opts, input.uid, input.href, { status: 'CANCELLED' });
          const f = http(ctx, opts);
          const href = new URL(input.href ?? `${encodeURIComponent(input.uid)}.ics`, await resolveCalendarUrl(ctx, f)).href;
          const res = await f(href, { method: 'DELETE' });
          if (res.status === 404) return { uid: input.uid, href, etag: null, changed: false };
          if (!res.ok) throw rejected(res, `Deleting ${input.uid}`);
          return { uid: input.uid, href, etag: null, changed: true };
        },
      },
    ],
  };
}

/** The default CalDAV connector. */
export const caldavConnector = createCalDavConnector();
