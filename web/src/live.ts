import { useEffect, useRef, useState } from 'react';

/** A change the server announces on `GET /api/v1/live` (server-sent events). */
export interface LiveEvent {
  /** What changed: `approval`, `message`, `signal`, `run`. */
  type: string;
  id?: string;
  /** The status after the change (for messages: inbound or outbound). */
  status?: string;
  /** The conversation of a message. */
  conversationId?: string;
}

type Listener = (e: LiveEvent) => void;
const listeners = new Set<Listener>();
const stateListeners = new Set<(up: boolean) => void>();
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryMs = 1000;
let up = false;

function setUp(v: boolean) {
  up = v;
  for (const l of stateListeners) l(v);
}

/** Opens the one shared stream (if anyone listens); reopens it with back-off when it closes for good. */
function connect() {
  if (source || listeners.size === 0 || typeof EventSource === 'undefined') return;
  const es = new EventSource('/api/v1/live', { withCredentials: true });
  source = es;
  es.addEventListener('ready', () => {
    retryMs = 1000;
    setUp(true);
    // Whatever happened while the stream was down: let pages reload once.
    for (const l of listeners) l({ type: 'reconnected' });
  });
  es.addEventListener('change', (m) => {
    let e: LiveEvent;
    try {
      e = JSON.parse((m as MessageEvent<string>).data) as LiveEvent;
    } catch {
      return;
    }
    for (const l of listeners) l(e);
  });
  es.onerror = () => {
    setUp(false);
    // The browser retries by itself unless the server refused (401, 429): then we back off and reopen.
    if (es.readyState === EventSource.CLOSED) {
      source = null;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, retryMs);
      retryMs = Math.min(retryMs * 2, 30_000);
    }
  };
}

function disconnectIfIdle() {
  if (listeners.size > 0) return;
  source?.close();
  source = null;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  setUp(false);
}

/**
 * Calls `onEvent` for every live change of the current business. One EventSource is shared by
 * every component that listens; it is opened by the first and closed after the last leaves, and
 * reopens by itself. After a reconnect, `onEvent({type: 'reconnected'})` lets a page reload.
 */
export function useLive(onEvent: (e: LiveEvent) => void): void {
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => {
    const l: Listener = (e) => ref.current(e);
    listeners.add(l);
    connect();
    return () => {
      listeners.delete(l);
      // Let a page that replaces this one take over the same stream.
      setTimeout(disconnectIfIdle, 0);
    };
  }, []);
}

/** Whether the live stream is connected (for a small "live" indicator). */
export function useLiveUp(): boolean {
  const [v, setV] = useState(up);
  useEffect(() => {
    stateListeners.add(setV);
    return () => void stateListeners.delete(setV);
  }, []);
  return v;
}

/**
 * Calls `reload` when a change of one of `types` arrives, at most every `ms` (a burst of changes
 * is one reload).
 */
export function useLiveReload(types: string[], reload: () => void, ms = 400): void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = types.join(',');
  useLive((e) => {
    if (e.type !== 'reconnected' && !key.split(',').includes(e.type)) return;
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      reload();
    }, ms);
  });
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
}
