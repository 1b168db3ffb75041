/**
 * The same connection URL for another database on the same server: only the path changes, so
 * credentials and parameters (`?host=<socket folder>` of the embedded server, `options`, `sslmode`)
 * are kept.
 */
export function withDatabaseName(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
