import { describe, it, expect } from 'vitest';
import { NAV } from '../web/src/nav.js';

describe('dashboard navigation', () => {
  it('every page has its own g-shortcut key and path', () => {
    const dupes = (xs: string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);
    expect(dupes(NAV.map((n) => n.key))).toEqual([]);
    expect(dupes(NAV.map((n) => n.path))).toEqual([]);
  });
});
