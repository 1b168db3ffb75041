/**
 * Adds PostgreSQL run-time settings to a connection URL's `options` parameter (`-c name=value`),
 * so the server applies them at connection start — no extra statement per new connection. Settings
 * already in the URL win (an operator's choice is kept).
 *
 * DBOS sets `idle_in_transaction_session_timeout` with a query on each new pool connection unless
 * the URL carries it; that query raced the pool's first one (pg's "client is already executing a
 * query" deprecation at every start). Passing it here avoids both the race and the round trip.
 */
export function withSessionSettings(databaseUrl: string, settings: Record<string, string | number>): string {
  const url = new URL(databaseUrl);
  const current = url.searchParams.get('options') ?? '';
  const added = Object.entries(settings)
    .filter(([name]) => !current.includes(`${name}=`))
    .map(([name, value]) => `-c ${name}=${value}`);
  if (added.length === 0) return databaseUrl;
  url.searchParams.set('options', [current, ...added].filter(Boolean).join(' '));
  return url.toString();
}

/** Milliseconds a session may sit idle inside an open transaction before PostgreSQL ends it (DBOS's default). */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;
