import { describe, it, expect } from 'vitest';
import { parseOwnerReply } from './owner-reply.js';
import { isShortCode, newShortCode } from './short-codes.js';

describe('parseOwnerReply', () => {
  it.each([
    ['yes', { kind: 'approve', code: null }],
    ['  Yes! ', { kind: 'approve', code: null }],
    ['YES k7q', { kind: 'approve', code: 'K7Q' }],
    ['K7Q yes', { kind: 'approve', code: 'K7Q' }],
    ['NO not our area', { kind: 'reject', code: null, reason: 'not our area' }],
    ['no K7Q too far', { kind: 'reject', code: 'K7Q', reason: 'too far' }],
    ['K7Q no too far', { kind: 'reject', code: 'K7Q', reason: 'too far' }],
    ['no', { kind: 'reject', code: null, reason: '' }],
    ['Hi Jane, we can come Thursday.', { kind: 'edit', code: null, body: 'Hi Jane, we can come Thursday.' }],
    ['K7Q Hi Jane, we can come Thursday.', { kind: 'edit', code: 'K7Q', body: 'Hi Jane, we can come Thursday.' }],
  ] as const)('%j → %j', (text, want) => {
    expect(parseOwnerReply(text)).toEqual(want);
  });

  it.each(['', 'ok?', 'YES please send it', 'K7Q', 'YES K7Q P2M', 'K7Q ok'])('%j decides nothing', (text) => {
    expect(parseOwnerReply(text)).toEqual({ kind: 'unclear' });
  });
});

describe('short codes', () => {
  it('are letter-digit-letter without look-alikes, so they never spell a word', () => {
    for (let i = 0; i < 500; i++) {
      const c = newShortCode();
      expect(c).toMatch(/^[A-HJ-NP-Z][2-9][A-HJ-NP-Z]$/);
      expect(isShortCode(c.toLowerCase())).toBe(true);
    }
    for (const w of ['YES', 'THE', 'K1Q', 'KOQ', 'K7', 'K7QQ']) expect(isShortCode(w)).toBe(false);
  });
});
