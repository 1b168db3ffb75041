import { describe, it, expect } from 'vitest';
import { inspectOutbound, type OutboundAllowList } from '../src/core/outbound-guard.js';
import { evaluatePolicy } from '../src/autonomy/policy/evaluate-policy.js';
import { parsePolicy } from '../src/autonomy/policy/load-policy.js';
// The same seeded PRNG the knowledge benchmark uses: same seed, same cases on every run.
import { prng } from '../bench/knowledge/synthetic.js';

/**
 * Property-style test of the outbound guard: a seeded generator writes foreign links and numbers
 * in many disguises into ordinary sentences; every one must be found (and force approval under a
 * policy that sends texts automatically), while the business's own link and number, in their own
 * many formats, and ordinary texts with prices, times and dates are never flagged.
 */

const rnd = prng(20261201);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const OWN: OutboundAllowList = { links: ['https://book.mapleplumbing.example/', 'https://aios.mapleplumbing.example'], numbers: ['+14165550100', '+14165550111'] };
const AUTO = parsePolicy('version: 1\ndefault: approve\nactions:\n  sms.send: auto\nfirst_contact: auto\n', 'policy.yaml');
const FACTS = { now: new Date('2026-06-01T15:00:00Z'), timeZone: 'America/Toronto', recipientOptedOut: false, isFirstContact: false, sentToRecipientToday: 0 };

const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const zeroWidth = (s: string) => [...s].map((c, i) => (i > 0 && rnd() < 0.35 ? pick(['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD']) : '') + c).join('');
const CYRILLIC: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', y: 'у', i: 'і' };
const confusable = (s: string) => s.replace(/[aeopcxyi]/g, (c) => (rnd() < 0.6 ? CYRILLIC[c]! : c));
const spaced = (s: string) => s.split('').join(pick([' ', '  ', ' . ', '-']));
const arabicIndic = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d)));
const mathBold = (s: string) => s.replace(/\d/g, (d) => String.fromCodePoint(0x1d7ce + Number(d)));
const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const spelled = (digits: string) => digits.split('').map((d) => (d === '0' && rnd() < 0.5 ? 'oh' : WORDS[Number(d)]!)).join(pick([' ', '-', ', ']));

const HOSTS = ['evil.example', 'pay-now.example', 'secure-login.example.net', 'mapleplumbing-pay.example', 'bit.ly', 'tinyurl.com', 'book.mapleplumbing.example.evil.example'];
const PATHS = ['', '/pay', '/verify-your-payment', '/a/b?c=1', '/x#top'];

/** A foreign link in one of many disguises. */
function foreignLink(): string {
  const host = pick(HOSTS);
  const path = pick(PATHS);
  const kind = Math.floor(rnd() * 16);
  switch (kind) {
    case 0: return `http://${host}${path}`;
    case 1: return `HTTPS://${host.toUpperCase()}${path}`;
    case 2: return `hxxp://${host}${path}`;
    case 3: return `hxxps[:]//${host.replace(/\./g, '[.]')}${path}`;
    case 4: return `ftp://${host}${path}`;
    case 5: return `www.${host}${path}`;
    case 6: return `${host}${path || '/pay'}`;
    case 7: return host.replace(/\./g, pick(['(dot)', '[dot]', '{.}', ' (.) ', '[.]']));
    case 8: return fullWidth(`${host}${path}`);
    case 9: return zeroWidth(`${host}${path}`);
    case 10: return confusable(`https://${host}${path}`);
    case 11: return pick(['xn--pypal-4ve.com', 'xn--80ak6aa92e.com/login', 'https://xn--mapleplumbing-8yb.example/']);
    case 12: return pick(['пример.рф', 'https://例え.テスト/pay', 'mapleplumbíng.example/pay']);
    case 13: return `https://book.mapleplumbing.example@${host}${path}`;
    case 14: return `${host.split('.')[0]} dot com`;
    default: return `${host.replace(/\./g, '。')}${path}`;
  }
}

const FOREIGN_DIGITS = ['5550009999', '9005550199', '4165550001', '6475551234', '5550123'];

/** A foreign phone number in one of many disguises. */
function foreignNumber(): string {
  const d = pick(FOREIGN_DIGITS);
  const nanp = d.length === 10;
  const kind = Math.floor(rnd() * 14);
  const fmt = (sep: string) => (nanp ? `${d.slice(0, 3)}${sep}${d.slice(3, 6)}${sep}${d.slice(6)}` : `${d.slice(0, 3)}${sep}${d.slice(3)}`);
  switch (kind) {
    case 0: return nanp ? `+1${d}` : d;
    case 1: return nanp ? `+1 (${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}` : `${d.slice(0, 3)}-${d.slice(3)}`;
    case 2: return fmt('.');
    case 3: return fmt(' ');
    case 4: return fullWidth(fmt('-'));
    case 5: return spaced(d);
    case 6: return spelled(d);
    case 7: return zeroWidth(fmt('-'));
    case 8: return arabicIndic(fmt('-'));
    case 9: return mathBold(fmt(' '));
    case 10: return fmt('-').replace(/0/g, 'O').replace(/1/g, 'l');
    case 11: return `tel:+1${d}`;
    case 12: return nanp ? `1-${fmt('-')}` : `555-0001`;
    default: return nanp ? `00 1 ${fmt(' ')}` : fmt('–');
  }
}

const CARRIERS = [
  (x: string) => `Pay now at ${x} to keep your booking.`,
  (x: string) => `Hi Priya, your deposit link: ${x}`,
  (x: string) => `${x} — confirm your visit today!`,
  (x: string) => `Sorry we missed you. Call ${x} or reply here.`,
  (x: string) => `Urgent (${x}) please respond`,
];

describe('outbound guard: every disguise of a foreign link or number forces approval', () => {
  const cases = Array.from({ length: 400 }, (_, i) => {
    const isLink = i % 2 === 0;
    const value = isLink ? foreignLink() : foreignNumber();
    return { isLink, value, text: pick(CARRIERS)(value) };
  });

  it('finds all 400 generated cases, and the policy turns each into approve', () => {
    const missed: string[] = [];
    for (const c of cases) {
      const f = inspectOutbound(c.text, OWN);
      const found = c.isLink ? f.foreignLinks : f.foreignNumbers;
      const d = evaluatePolicy(AUTO, { kind: 'sms.send', effect: 'send', recipient: '+14165550142', foreignLinks: f.foreignLinks, foreignNumbers: f.foreignNumbers }, FACTS);
      const rule = c.isLink ? 'foreign_link' : 'foreign_number';
      if (found.length === 0 || d.outcome !== 'approve' || !d.reasons.some((r) => r.rule === rule)) missed.push(JSON.stringify(c.text));
    }
    expect(missed).toEqual([]);
  });

  it('the finding itself (e.g. finding 2 of the review)', () => {
    const f = inspectOutbound('pay now at http://evil.example/pay or call +15550009999', OWN);
    expect(f.foreignLinks).toEqual(['http://evil.example/pay']);
    expect(f.foreignNumbers).toEqual(['+15550009999']);
  });
});

const OWN_LINKS = [
  'https://book.mapleplumbing.example/', 'https://book.mapleplumbing.example', 'book.mapleplumbing.example', 'www.book.mapleplumbing.example/slot',
  'HTTPS://BOOK.MAPLEPLUMBING.EXAMPLE/?slot=20261201093000', 'https://book.mapleplumbing.example/a/b.', 'https://aios.mapleplumbing.example/a/tok_123456789',
];
const OWN_NUMBERS = [
  '+14165550100', '+1 416 555 0100', '(416) 555-0100', '416.555.0100', '1-416-555-0100', '416-555-0100', '555-0100', '4165550100', '+1 (416) 555-0111',
  '０４１６５５５０１００'.slice(1), 'four one six five five five oh one oh oh', '416 555 0100 ext. 12', '001 416 555 0100',
];

describe('outbound guard: the business’s own link and number, and ordinary texts, are never flagged', () => {
  it('own links in their formats', () => {
    for (let i = 0; i < 100; i++) {
      const text = pick(CARRIERS)(pick(OWN_LINKS));
      expect(inspectOutbound(text, OWN), text).toMatchObject({ foreignLinks: [], foreignNumbers: [] });
    }
  });

  it('own numbers in their formats (and next to a short count: "7 days a week")', () => {
    for (let i = 0; i < 100; i++) {
      const text = `${pick(CARRIERS)(pick(OWN_NUMBERS))} We answer 7 days a week.`;
      expect(inspectOutbound(text, OWN), text).toMatchObject({ foreignLinks: [], foreignNumbers: [] });
    }
  });

  it('prices, durations, hours, dates, percentages, addresses', () => {
    const texts = [
      'A water heater flush is $180 and takes about 2 hours.',
      'We are open 9am-5pm, Mon–Fri 8:00–17:00, Sat 9-2.',
      'Your visit is booked for 2026-12-01 at 9:30 (or 12/01/2026 if you prefer).',
      'Save 15% on maintenance plans until 2026–2027 season ends.',
      'Invoice total: $1,250.00 (1 250,00 $ CAD), paid in 2 instalments of $625.',
      'We are at Suite 200, 45 King St W, Toronto M5V 2T6, between 9 and 11 a.m.',
      'Merci! À bientôt — l’équipe Maple. P.S. e.g. 3 techs, 4 visits.',
      "Hi Priya, it's Maple Plumbing & Heating — sorry we missed your call! Reply here. — Dana & the Maple team",
    ];
    for (const text of texts) expect(inspectOutbound(text, OWN), text).toMatchObject({ foreignLinks: [], foreignNumbers: [] });
  });

  it('reports the normalised text it checked (NFKC, no invisible characters)', () => {
    expect(inspectOutbound('ｃａｌｌ\u200B us', OWN).normalised).toBe('call us');
  });

  it('a booking link with a path allows only that path: another page of the same host is foreign', () => {
    const allowed = { links: ['https://calendly.example/maple'], numbers: [] };
    expect(inspectOutbound('Book: https://calendly.example/maple/30min', allowed).foreignLinks).toEqual([]);
    expect(inspectOutbound('Book: https://calendly.example/attacker', allowed).foreignLinks).toEqual(['https://calendly.example/attacker']);
  });
});
