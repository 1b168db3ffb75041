import { describe, it, expect } from 'vitest';
import { parseSnoozeFor } from './signal-lifecycle.js';
import { ownAddressMatcher } from './watcher.js';
import { isAutomatedSender } from './email-unanswered-watcher.js';
import { snoozeBody } from '../cli/signal-commands.js';

describe('snooze lengths', () => {
  it('reads minutes, hours, days and weeks', () => {
    expect(parseSnoozeFor('30m')).toBe(30 * 60_000);
    expect(parseSnoozeFor('4h')).toBe(4 * 3_600_000);
    expect(parseSnoozeFor(' 2D ')).toBe(2 * 86_400_000);
    expect(parseSnoozeFor('1.5d')).toBe(36 * 3_600_000);
    expect(parseSnoozeFor('1w')).toBe(7 * 86_400_000);
  });
  it('refuses nonsense, zero and more than a year, saying what to write', () => {
    for (const bad of ['soon', '2', 'd2', '0h', '-1d', '400d', '2 days']) expect(() => parseSnoozeFor(bad), bad).toThrow(/not a snooze length/);
    try {
      parseSnoozeFor('soon');
    } catch (err) {
      expect((err as { fix: string }).fix).toMatch(/30m, 4h, 2d or 1w/);
    }
  });
  it('the CLI sends a length as `for` and anything else as `until`', () => {
    expect(snoozeBody('2d')).toEqual({ for: '2d' });
    expect(snoozeBody('2026-12-24T09:00:00-05:00')).toEqual({ until: '2026-12-24T09:00:00-05:00' });
    expect(snoozeBody('tomorrowish')).toEqual({ until: 'tomorrowish' });
  });
});

describe('who is not a customer', () => {
  it('own addresses match exactly or by @domain, case-insensitively', () => {
    const own = ownAddressMatcher(['Owner@Shop.example', '@partner.example']);
    expect(own('owner@shop.example')).toBe(true);
    expect(own('sam@PARTNER.example')).toBe(true);
    expect(own('sam@shop.example')).toBe(false);
    expect(own('eve@notpartner.example')).toBe(false);
  });
  it('robots expect no answer', () => {
    for (const a of ['noreply@x.example', 'no-reply@x.example', 'do-not-reply@x.example', 'MAILER-DAEMON@x.example', 'notifications+abc@github.example', 'bounce-123@list.example']) expect(isAutomatedSender(a), a).toBe(true);
    for (const a of ['ann@cust.example', 'replyguy@x.example', 'noreplyneeded@x.example', 'alertsmith@x.example']) expect(isAutomatedSender(a), a).toBe(false);
  });
});
