/**
 * Test-only fault injection for crash-safety tests. When `AIOS_CRASH_AT` names a point, the process
 * kills itself with SIGKILL the first time execution reaches it — no cleanup, no flush, exactly like
 * a power cut. In production the variable is unset and this is a no-op string compare.
 */
export function crashPoint(name: string): void {
  if (process.env.AIOS_CRASH_AT === name) {
    process.kill(process.pid, 'SIGKILL');
  }
}
