import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalisePhone } from '../../core/phone.js';
import { RETURNING, NEW_CALLER } from './seed-demo.js';
import { DEMO_EMERGENCY_PHONE, DEMO_OFFICE_PHONE, DEMO_OWNER_PHONE, DEMO_PHONE } from './demo-files.js';

const KNOWLEDGE = join(import.meta.dirname, '../../../demo/knowledge');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Every phone number written in the demo knowledge, in E.164. */
function knowledgeNumbers(): Set<string> {
  const out = new Set<string>();
  for (const f of files(KNOWLEDGE)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\+?\d[\d ().-]{8,}\d/g)) {
      const e164 = normalisePhone(m[0], 'CA');
      if (e164) out.add(e164);
    }
  }
  return out;
}

describe('demo knowledge numbers', () => {
  it("no seeded customer's (or the owner's mobile) number is a number of the business", () => {
    const numbers = knowledgeNumbers();
    expect(numbers.size).toBeGreaterThan(0);
    expect(numbers).toContain('+14165550190'); // the 24/7 emergency line
    for (const person of [...RETURNING.map((r) => r.phone), NEW_CALLER, DEMO_OWNER_PHONE]) expect(numbers).not.toContain(person);
  });

  it("every number of the business in the demo knowledge is listed as its own, so a text quoting it is not held as foreign", () => {
    // The business's numbers are fiction (555-01xx); a utility's public line (Enbridge's gas
    // emergency number) is someone else's and a text quoting it rightly waits for the owner.
    const own = [DEMO_PHONE, DEMO_OFFICE_PHONE, DEMO_EMERGENCY_PHONE];
    const business = [...knowledgeNumbers()].filter((n) => /^\+1\d{3}55501\d\d$/.test(n));
    expect(business.length).toBeGreaterThan(0);
    for (const n of business) expect(own).toContain(n);
  });
});
