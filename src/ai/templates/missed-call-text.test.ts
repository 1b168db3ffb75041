import { describe, expect, it } from 'vitest';
import { draftMissedCallText, type MissedCallDraftInput } from './missed-call-text.js';
import { countSegments } from '../../core/sms-segments.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTenantFile } from '../../records/tenant-file.js';
import { DEMO_SLUG, ensureDemoTenantFiles } from '../../server/demo/demo-files.js';

const TONES = ['friendly', 'warm', 'professional', 'brief'] as const;

/** The demo business's profile, read from the demo tenant.yaml itself. */
function demoInput(): Omit<MissedCallDraftInput, 'tone'> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-demo-'));
  ensureDemoTenantFiles(dir);
  const t = loadTenantFile(join(dir, DEMO_SLUG, 'tenant.yaml'));
  return { businessName: t.name, bookingLink: t.profile.booking_link, signOff: t.profile.sign_off, hoursToday: '08:00–17:00' };
}

describe('missed-call template fits one GSM-7 segment', () => {
  it('for the demo business in every tone, with the booking link and a caller name', () => {
    for (const tone of TONES) {
      const text = draftMissedCallText({ ...demoInput(), tone, callerFirstName: 'Samantha' });
      expect(countSegments(text), `${tone}: ${text}`).toMatchObject({ encoding: 'GSM-7', segments: 1 });
      expect(text).toContain('Maple Plumbing & Heating');
      expect(text).toContain('https://book.mapleplumbing.example/');
    }
  });

  it('for a typical business closed today with a short sign-off, keeping every part', () => {
    const text = draftMissedCallText({ businessName: 'Acme Co', tone: 'friendly', bookingLink: 'https://acme.ca/book', signOff: '— Jo', hoursToday: null, callerFirstName: 'Sam' });
    expect(countSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(text).toBe("Hi Sam, it's Acme Co - sorry we missed your call! How can we help? Reply here or book: https://acme.ca/book Closed today, we'll reply next business day. - Jo");
  });

  it('drops optional parts in a fixed order (sign-off, closed-today, booking link, caller name) but never the business name', () => {
    const base = { tone: 'friendly' as const, bookingLink: 'https://nlhc.ca/book', signOff: '- Alexandra and the whole team', hoursToday: null, callerFirstName: 'Bartholomew' };
    const medium = draftMissedCallText({ ...base, businessName: 'Northern Lights Heating & Cooling' });
    expect(medium).not.toContain('Alexandra');
    expect(medium).not.toContain('closed today');
    expect(medium).toContain('https://nlhc.ca/book');
    expect(countSegments(medium).segments).toBe(1);

    const long = draftMissedCallText({ ...base, businessName: 'Northern Lights Residential Heating, Cooling & Plumbing Ltd.' });
    expect(long).toContain('Northern Lights Residential Heating, Cooling & Plumbing Ltd.');
    expect(long).not.toContain('nlhc.ca');
    expect(long).toContain('Bartholomew');
    expect(countSegments(long).segments).toBe(1);

    const huge = 'The Very Long Name Heating Cooling Plumbing Electrical Roofing Landscaping and General Contracting Company of Greater Toronto';
    const last = draftMissedCallText({ ...base, businessName: huge });
    expect(last).toContain(huge);
    expect(last).not.toContain('Bartholomew');
    expect(last.startsWith(`Hi, it's ${huge} - sorry`)).toBe(true);
  });

  it('plain characters are the default; the owner can keep typographic ones (then fewer parts fit)', () => {
    const i = { ...demoInput(), tone: 'friendly' as const, signOff: '— Dana', callerFirstName: 'Sam' };
    const plain = draftMissedCallText(i);
    expect(plain).toContain('- Dana');
    expect(countSegments(plain).encoding).toBe('GSM-7');
    const kept = draftMissedCallText(i, false);
    expect(countSegments(kept)).toMatchObject({ segments: 1 });
    expect(kept).not.toContain('—'); // a UCS-2 segment holds 70: the sign-off is dropped before the link
  });
});
