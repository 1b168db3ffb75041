import { Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Reachability of the local test servers started by `scripts/test-services.sh up`. An e2e suite
 * calls {@link requireServices} in `beforeAll`: when a server is down the suite fails with the
 * exact command to run — it never skips.
 */

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** State folder of the test servers (config, maildirs, logs). */
export const SERVICES_DIR = process.env.AIOS_TEST_SERVICES_DIR ?? resolve(REPO_ROOT, '.test-services');
/** Dovecot config written by the script, for `dovecot -c` / `doveadm -c`. */
export const DOVECOT_CONF = resolve(SERVICES_DIR, 'dovecot', 'dovecot.conf');

export const SERVICES = {
  dovecotImap: { host: '127.0.0.1', port: 1143 },
  dovecotLmtp: { host: '127.0.0.1', port: 2424 },
  radicale: { host: '127.0.0.1', port: 5232, url: 'http://127.0.0.1:5232/' },
} as const;

/** IMAP credentials of the Dovecot test user (plain, no TLS, loopback). */
export const DOVECOT_USER = { host: '127.0.0.1', port: 1143, secure: false, user: 'test', password: 'secret' } as const;

export type ServiceName = 'dovecot' | 'radicale';

/** True when a TCP connection to host:port opens within `timeoutMs` (milliseconds). */
export function reachable(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((done) => {
    const s = new Socket();
    const finish = (ok: boolean): void => {
      s.destroy();
      done(ok);
    };
    s.setTimeout(timeoutMs, () => finish(false));
    s.once('connect', () => finish(true));
    s.once('error', () => finish(false));
    s.connect(port, host);
  });
}

/** Throws (failing the suite) when a named service is not reachable, with the command to run. */
export async function requireServices(names: ServiceName[]): Promise<void> {
  const missing: string[] = [];
  for (const n of names) {
    if (n === 'dovecot') {
      if (!(await reachable(SERVICES.dovecotImap.host, SERVICES.dovecotImap.port))) missing.push('Dovecot IMAP on 127.0.0.1:1143');
      if (!(await reachable(SERVICES.dovecotLmtp.host, SERVICES.dovecotLmtp.port))) missing.push('Dovecot LMTP on 127.0.0.1:2424');
      if (!existsSync(DOVECOT_CONF)) missing.push(`Dovecot config ${DOVECOT_CONF}`);
    }
    if (n === 'radicale' && !(await reachable(SERVICES.radicale.host, SERVICES.radicale.port))) missing.push('Radicale on 127.0.0.1:5232');
  }
  if (missing.length > 0) {
    throw new Error(`test servers not running: ${missing.join(', ')}.\nStart them with:\n  sudo scripts/test-services.sh up\n(then check with scripts/test-services.sh status)`);
  }
}
