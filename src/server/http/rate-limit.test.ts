import { describe, it, expect } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows `capacity` requests, then says when the next token is back, refilling continuously', () => {
    let t = 0;
    const rl = new RateLimiter(() => t);
    const q = { capacity: 3, windowMs: 600_000 };
    expect([1, 2, 3].map(() => rl.take('ip', q).ok)).toEqual([true, true, true]);
    expect(rl.take('ip', q)).toEqual({ ok: false, retryAfterSeconds: 200 });
    t += 199_000;
    expect(rl.take('ip', q).ok).toBe(false);
    t += 1_000;
    expect(rl.take('ip', q).ok).toBe(true);
    expect(rl.take('other', q).ok).toBe(true);
  });

  it('takeAll spends from every bucket or none', () => {
    const t = 0;
    const rl = new RateLimiter(() => t);
    const small = { capacity: 1, windowMs: 60_000 };
    const big = { capacity: 5, windowMs: 60_000 };
    expect(rl.takeAll([['a', small], ['shared', big]]).ok).toBe(true);
    expect(rl.takeAll([['a', small], ['shared', big]])).toEqual({ ok: false, retryAfterSeconds: 60 });
    // The refused call did not spend from "shared": 4 tokens are left for others.
    expect([1, 2, 3, 4, 5].map((i) => rl.takeAll([[`b${i}`, small], ['shared', big]]).ok)).toEqual([true, true, true, true, false]);
  });

  it('sweep forgets idle buckets and maxKeys bounds memory', () => {
    let t = 0;
    const rl = new RateLimiter(() => t, 2);
    const q = { capacity: 1, windowMs: 1_000 };
    rl.take('x', q);
    rl.take('y', q);
    rl.take('z', q); // drops x, the least recently used
    expect(rl.take('x', q).ok).toBe(true);
    expect(rl.take('z', q).ok).toBe(false);
    t += 5_000;
    rl.sweep(1_000);
    expect(rl.take('z', q).ok).toBe(true);
  });
});
