import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_POLICY_YAML } from '../../autonomy/policy/load-policy.js';

/** Slug of the demo business. */
export const DEMO_SLUG = 'maple-plumbing';
/** The demo business's Twilio number and owner's mobile (555-01xx numbers are reserved for fiction). */
export const DEMO_PHONE = '+14165550100';
export const DEMO_OWNER_PHONE = '+14165550111';
/** The office line and the 24/7 emergency line written in the demo knowledge (no customer has them). */
export const DEMO_OFFICE_PHONE = '+14165550140';
export const DEMO_EMERGENCY_PHONE = '+14165550190';

const TENANT_YAML = `# Who the business is. AIOS reads this file at every start.
slug: ${DEMO_SLUG}
name: Maple Plumbing & Heating
time_zone: America/Toronto
locale: en-CA
currency: CAD
# The business's Twilio number: inbound calls and texts are routed to this business by it.
phone: "${DEMO_PHONE}"
owner:
  name: Dana Maple
  phone: "${DEMO_OWNER_PHONE}"   # approval requests are texted here
  email: dana@mapleplumbing.example   # the dashboard login
profile:
  trade: residential plumbing and heating
  booking_link: https://book.mapleplumbing.example/
  # The office and 24/7 emergency lines the knowledge gives customers: texts may quote them.
  other_phones: ["${DEMO_OFFICE_PHONE}", "${DEMO_EMERGENCY_PHONE}"]
  tone: friendly
  sign_off: "— Dana"   # texts are kept to one SMS segment; the dash is sent as a plain "-"
  service_area: Toronto and the GTA
  hours:
    mon: ["08:00", "18:00"]
    tue: ["08:00", "18:00"]
    wed: ["08:00", "18:00"]
    thu: ["08:00", "18:00"]
    fri: ["08:00", "18:00"]
    sat: ["09:00", "14:00"]
    sun: closed
  review_link: https://g.page/r/maple-plumbing-demo/review   # sent after a finished job
  average_job_value: 350   # CAD; the ledger values a booking with it
# Appointments AIOS may book (slots come from the hours above minus the calendar).
booking:
  service_name: Plumbing visit
  duration_minutes: 60
  buffer_after_minutes: 30   # travel time between jobs
  min_notice_minutes: 120
  days_ahead: 14
# How AIOS answers the phone: ring Dana first; if nobody picks up in 20 s, AIOS answers.
voice:
  answer: ring_first
  ring_seconds: 20
  mode: gather
playbooks:
  missed-call-text-back:
    enabled: true
    recall_window_minutes: 30   # a caller who rings again within 30 min is not texted twice
    reply_wait_hours: 48
`;

/**
 * On a fresh AIOS_HOME (no tenant folders), writes the demo business's files: tenant.yaml,
 * policy.yaml and its knowledge folder. Folders are created 0700 and files 0600 (see
 * `server/home-modes.ts`). Returns true when it created them.
 */
export function ensureDemoTenantFiles(tenantsDir: string): boolean {
  mkdirSync(tenantsDir, { recursive: true, mode: 0o700 });
  if (readdirSync(tenantsDir).length > 0) return false;
  const dir = join(tenantsDir, DEMO_SLUG);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'tenant.yaml'), TENANT_YAML, { mode: 0o600 });
  writeFileSync(join(dir, 'policy.yaml'), DEFAULT_POLICY_YAML, { mode: 0o600 });
  const knowledge = join(dirname(fileURLToPath(import.meta.url)), '../../../demo/knowledge');
  if (existsSync(knowledge)) cpSync(knowledge, join(dir, 'knowledge'), { recursive: true });
  else mkdirSync(join(dir, 'knowledge'), { recursive: true });
  return true;
}
