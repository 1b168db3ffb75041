import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAios, type Aios } from '../../src/server/runtime.js';
import { loadConfig } from '../../src/core/config.js';
import type { Clock } from '../../src/core/clock.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';
import { startTwilioSink, type TwilioSink } from './twilio-sink.js';
import { postTwilioWebhook, missedCallParams, inboundSmsParams } from '../../src/connection/twilio/webhook-client.js';

export const ACCOUNT_SID = 'AC' + 'a'.repeat(32);
export const AUTH_TOKEN = 'test-auth-token-0123456789';

/** A tenant folder to write for a test. */
export interface TestTenant {
  slug: string;
  phone: string;
  ownerPhone?: string;
  policy: string;
  /** Extra YAML appended under `playbooks:` → missed-call-text-back settings. */
  missedCall?: { recall_window_minutes?: number; reply_wait_hours?: number };
}

/** A policy that lets texts go automatically, any time of day. */
export const AUTO_POLICY = `version: 1
default: approve
actions:
  sms.send: auto
first_contact: auto
max_per_recipient_per_day: 3
over_limit: never
`;

/** A policy that asks the owner before texting someone new. */
export const APPROVE_FIRST_POLICY = AUTO_POLICY.replace('first_contact: auto', 'first_contact: approve');

export function tenantYaml(t: TestTenant): string {
  const mc = t.missedCall ?? {};
  return `slug: ${t.slug}
name: ${t.slug} Co
time_zone: America/Toronto
phone: "${t.phone}"
owner:
  name: Owner
${t.ownerPhone ? `  phone: "${t.ownerPhone}"\n` : ''}profile:
  booking_link: https://book.example/${t.slug}
  tone: friendly
playbooks:
  missed-call-text-back:
    recall_window_minutes: ${mc.recall_window_minutes ?? 30}
    reply_wait_hours: ${mc.reply_wait_hours ?? 48}
`;
}

/** Writes tenant folders into a fresh AIOS_HOME and returns its path. */
export function makeHome(tenants: TestTenant[]): string {
  const home = mkdtempSync(join(tmpdir(), 'aios-home-'));
  for (const t of tenants) {
    const dir = join(home, 'tenants', t.slug);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tenant.yaml'), tenantYaml(t));
    writeFileSync(join(dir, 'policy.yaml'), t.policy);
  }
  return home;
}

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

/** Starts AIOS in-process (port 0, signature checks on, SMS to a local Twilio sink). */
export async function startHarness(tenants: TestTenant[], opts: { clock?: Clock } = {}): Promise<Harness> {
  const tdb = await createTestDatabase({ migrate: false });
  const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const home = makeHome(tenants);
  const config = loadConfig({
    AIOS_HOME: home, AIOS_PORT: '0', DATABASE_URL: tdb.url,
    AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url,
  });
  const aios = await startAios({ config, clock: opts.clock, demo: false });
  const post = (path: string, params: Record<string, string>) => postTwilioWebhook(`${aios.url}${path}`, params, { authToken: AUTH_TOKEN });
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
