import { describe, expect, it } from 'vitest';
import { TriageClassifier } from './offline-classifier.js';
import { SEED_EXAMPLES } from './seed-examples.js';
import { triageTokens, type TriageEmail } from './features.js';

const seeded = (): TriageClassifier => {
  const c = new TriageClassifier();
  for (const [e, cat] of SEED_EXAMPLES) c.learn(e, cat);
  return c;
};
const mail = (from: string, subject: string, text: string, extra: Partial<TriageEmail> = {}): TriageEmail => ({ from, fromName: null, subject, text, ...extra });

describe('offline triage classifier', () => {
  it('sorts typical mail on day one from the seed set, with the words that decided', () => {
    const c = seeded();
    const q = c.classify(mail('new.person@gmail.com', 'Quote for a kitchen', 'Hello, could you give me a price estimate for a new kitchen? How much would it cost?'));
    expect(q.category).toBe('lead');
    expect(q.reason).toMatch(/^words: /);
    expect(c.classify(mail('deals@shop-mail.com', 'Our biggest sale', 'Shop now and save 30%. Unsubscribe from these emails.', { listUnsubscribe: true, precedence: 'bulk' })).category).toBe('newsletter');
    expect(c.classify(mail('x@verify-now.ru', 'Verify your account now', 'Your account will be suspended, click here to verify your password and bank details')).category).toBe('spam');
  });

  it('headers, sender domain and subject are features', () => {
    const t = triageTokens(mail('A@News.Example.co.uk', 'Hello there', 'see https://evil.example/x', { listUnsubscribe: true, precedence: 'Bulk' }));
    expect(t).toEqual(expect.arrayContaining(['h:list-unsubscribe', 'h:precedence:bulk', 'd:news.example.co.uk', 'd:co.uk', 'tld:uk', 's:hello', 'url:evil.example']));
  });

  it('a relabelled sender flips at once (owner rule), and the pattern is learnt for other senders', () => {
    const c = seeded();
    const vendorMail = (from: string) => mail(from, 'Weekly timber delivery schedule', 'Your standing order of timber boards and plywood sheets will arrive Tuesday. Timber yard dispatch team.');
    const before = c.classify(vendorMail('yard@timber-merchant.com'));
    expect(before.category).not.toBe('personal');
    c.correct(vendorMail('yard@timber-merchant.com'), 'personal');
    const after = c.classify(vendorMail('yard@timber-merchant.com'));
    expect(after).toMatchObject({ category: 'personal', by: 'rule' });
    expect(after.reason).toContain('yard@timber-merchant.com');
    // Another sender with the same kind of mail: learnt from the corrections' words (no rule).
    for (let i = 0; i < 3; i++) c.correct(vendorMail(`yard${i}@timber-merchant.com`), 'vendor');
    const other = c.classify(vendorMail('depot@other-timber.com'));
    expect(other).toMatchObject({ category: 'vendor', by: 'bayes' });
    expect(other.reason).toMatch(/timber/);
  });

  it('keeps learning after it has predicted (wink re-opened between batches)', () => {
    const c = seeded();
    c.classify(mail('a@b.com', 'hi', 'hello there'));
    const n = c.size;
    c.learn(mail('c@d.com', 'Invoice overdue', 'please pay the invoice'), 'billing');
    expect(c.classify(mail('e@f.com', 'Invoice', 'pay')).category).toBeDefined();
    expect(c.size).toBe(n + 1);
  });
});
