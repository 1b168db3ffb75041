import { useEffect, useRef } from 'react';

/** A change the server announces on `GET /api/v1/live` (server-sent events). */
export interface LiveEvent {
  /** What changed: `approval`, `message`, `signal`, `run`, `ledger`, … */
  type: string;
  id?: string;
}

/**
 * Calls `onEvent` for every live change of the current business (one shared EventSource;
 * reconnects by itself). Until the server side exists this does nothing.
 */
export function useLive(onEvent: (e: LiveEvent) => void): void {
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => undefined, []);
}
