import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';

export const ACCOUNT_SID = 'AC' + 'a'.repeat(32);
export const AUTH_TOKEN = 'test-auth-token-0123456789';

/** A tenant folder to write for a test. */
export interface TestTenant {
  slug: string;
  phone: string;
  ownerPhone?: string;
  policy: string;
  /** More files to write into the tenant folder, by relative path (e.g. `knowledge/prices.md`). */
  files?: Record<string, string>;
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

/** Texts and mails go by themselves (20 a day per recipient): what needs approval is the playbook's own choice. */
export const EMAIL_AUTO_POLICY = `version: 1
default: auto
actions:
  sms.send: auto
  email.send: auto
first_contact: auto
max_per_recipient_per_day: 20
over_limit: never
`;

/** A policy for booking tests: texts and calendar writes go by themselves, 20 texts a day. */
export const BOOKING_POLICY = `version: 1
default: approve
actions:
  sms.send: auto
  calendar.create: auto
first_contact: auto
max_per_recipient_per_day: 20
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
    for (const [rel, text] of Object.entries(t.files ?? {})) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
  }
  return home;
}

