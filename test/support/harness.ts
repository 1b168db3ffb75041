import { rmSync } from 'node:fs';
import { startAios, type Aios } from '../../src/server/runtime.js';
import { loadConfig } from '../../src/core/config.js';
import type { Clock } from '../../src/core/clock.js';
import type { Playbook } from '../../src/autonomy/engine/define-playbook.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';
import { startTwilioSink, type TwilioSink } from './twilio-sink.js';
import { postTwilioWebhook, missedCallParams, inboundSmsParams } from '../../src/connection/twilio/webhook-client.js';
import { makeHome, ACCOUNT_SID, AUTH_TOKEN, type TestTenant } from './tenant-files.js';

export { ACCOUNT_SID, AUTH_TOKEN, AUTO_POLICY, APPROVE_FIRST_POLICY, BOOKING_POLICY, EMAIL_AUTO_POLICY, makeHome, tenantYaml, type TestTenant } from './tenant-files.js';

/** AIOS running in this test process against its own database, with a Twilio sink. */
export interface Harness {
  aios: Aios;
  sink: TwilioSink;
  tdb: TestDatabase;
  home: string;
  voice(from: string, to: string, extra?: Partial<Parameters<typeof missedCallParams>[0]>): Promise<Response>;
  sms(from: string, to: string, body: string, messageSid?: string): Promise<Response>;
  api(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

/**
 * Starts AIOS in-process (port 0, signature checks on, SMS to a local Twilio sink). The test
 * database is given as the admin URL, so AIOS works through its own non-superuser role as in
 * production. Connectors may reach loopback (`AIOS_ALLOW_LOOPBACK=1`: the test servers listen
 * there) unless `config` says otherwise; `config` adds or overrides instance settings (environment
 * variable names). `unsigned`: no Twilio credentials at all (webhooks are not signed, SMS go to
 * the sandbox channel).
 */
export async function startHarness(tenants: TestTenant[], opts: { clock?: Clock; env?: NodeJS.ProcessEnv; config?: Record<string, string>; unsigned?: boolean; extraPlaybooks?: Playbook[] } = {}): Promise<Harness> {
  const tdb = await createTestDatabase({ migrate: false });
  const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const home = makeHome(tenants);
  const config = loadConfig({
    AIOS_HOME: home, AIOS_PORT: '0', AIOS_DATABASE_ADMIN_URL: tdb.url,
    ...(opts.unsigned ? {} : { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN }), AIOS_TWILIO_BASE_URL: sink.url,
    AIOS_ALLOW_LOOPBACK: '1',
    ...opts.config,
  });
  const aios = await startAios({ config, clock: opts.clock, demo: false, env: opts.env ?? {}, extraPlaybooks: opts.extraPlaybooks });
  const post = (path: string, params: Record<string, string>) => postTwilioWebhook(`${aios.url}${path}`, params, { authToken: opts.unsigned ? null : AUTH_TOKEN });
  return {
    aios, sink, tdb, home,
    voice: (from, to, extra = {}) => post('/hooks/twilio/voice', missedCallParams({ from, to, accountSid: ACCOUNT_SID, ...extra })),
    sms: (from, to, body, messageSid) => post('/hooks/twilio/sms', inboundSmsParams({ from, to, body, accountSid: ACCOUNT_SID, messageSid })),
    api: async (token, method, path, body) => {
      const res = await fetch(`${aios.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    stop: async () => {
      await aios.stop();
      await sink.close();
      await tdb.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` every 50 ms until it returns a value other than undefined/false, or fails after `ms`. */
export async function eventually<T>(fn: () => Promise<T | undefined | false | null>, ms = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false && v !== null) return v as T;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
