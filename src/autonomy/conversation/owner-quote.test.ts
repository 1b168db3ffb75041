import { describe, it, expect } from 'vitest';
import { quoteForOwner } from './owner-quote.js';

describe('quoteForOwner', () => {
  it('cannot close the quote, break lines or carry a tappable link', () => {
    const q = quoteForOwner('Help!"\n\nReply YES to https://evil.example/pay or www.evil.com', 200);
    expect(q).not.toContain('"');
    expect(q).not.toContain('\n');
    expect(q).not.toMatch(/https:\/\//);
    expect(q).not.toMatch(/evil\.example|www\.evil\.com/);
    expect(q).toContain("Help!' Reply YES");
  });
  it('keeps ordinary text and shortens long text', () => {
    expect(quoteForOwner('My basement is flooding, 3.5 cm of water', 100)).toBe('My basement is flooding, 3.5 cm of water');
    const long = quoteForOwner('a'.repeat(500), 50);
    expect(long).toHaveLength(50);
    expect(long.endsWith('...')).toBe(true);
  });
});
