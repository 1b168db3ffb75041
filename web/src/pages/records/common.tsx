import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useLive, type LiveEvent } from '../../live';
import { useSession } from '../../session';

const zoneCache = new Map<string, Promise<string>>();

/**
 * The business's IANA time zone (from `GET /api/v1/status`), loaded once per business; undefined
 * (the browser's zone) until it arrives. Times on the records pages are shown in it.
 */
export function useZone(): string | undefined {
  const tenantId = useSession().session?.business?.tenantId ?? '';
  const [zone, setZone] = useState<string | undefined>(undefined);
  useEffect(() => {
    let p = zoneCache.get(tenantId);
    if (!p) {
      p = api.GET('/api/v1/status').then((r) => (r.data as unknown as { tenant?: { timeZone?: string } } | undefined)?.tenant?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
      zoneCache.set(tenantId, p);
      p.catch(() => zoneCache.delete(tenantId));
    }
    let alive = true;
    p.then((z) => alive && setZone(z)).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [tenantId]);
  return zone;
}

/** Unwraps an openapi-fetch answer: its data, or throws its error body (for ActionButton to show). */
export async function must<T = unknown>(p: Promise<{ data?: unknown; error?: unknown }>): Promise<T> {
  const r = await p;
  if (r.error !== undefined && r.error !== null) throw r.error;
  return r.data as T;
}

/** Reloads when the server announces a change of one of `types` (`run`, `signal`, …). */
export function useLiveReload(types: string[], reload: () => void): void {
  useLive((e: LiveEvent) => {
    if (types.includes(e.type)) reload();
  });
}

/** "2026-12-03" of an instant in `timeZone` (the key days are grouped by). */
export function dayKey(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(new Date(iso));
}

/** "Today", "Tomorrow", or "Thu 3 Dec" for a day key, in `timeZone`. */
export function dayTitle(iso: string, timeZone?: string): string {
  const key = dayKey(iso, timeZone);
  const today = dayKey(new Date().toISOString(), timeZone);
  const tomorrow = dayKey(new Date(Date.now() + 86_400_000).toISOString(), timeZone);
  if (key === today) return 'Today';
  if (key === tomorrow) return 'Tomorrow';
  return new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone }).format(new Date(iso));
}

/** "9:30 AM" in `timeZone` (the browser's locale and hour cycle). */
export function clock(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
}

/** A short date ("3 Dec 2026") in `timeZone`. */
export function date(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(new Date(iso));
}

/** Groups items by a key, keeping first-seen order. */
export function groupBy<T>(items: T[], key: (t: T) => string): Array<[string, T[]]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k) ?? [];
    list.push(i);
    m.set(k, list);
  }
  return [...m];
}

/** A compact JSON rendering of a step's input or output (truncated to `max` characters). */
export function brief(v: unknown, max = 400): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v, null, 1);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
