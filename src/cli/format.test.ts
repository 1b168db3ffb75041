import { describe, it, expect, vi, afterEach } from 'vitest';
import { printTable, printCards, wrapText } from './format.js';

function captured(fn: () => void): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}
afterEach(() => vi.restoreAllMocks());

const TEXT = "Hi, it's Maple Plumbing & Heating — sorry we missed your call! What can we help you with? Reply here and we'll get right back to you.";

describe('printTable', () => {
  it('wraps a long cell within the width instead of cutting it; ids stay whole', () => {
    const out = captured(() => printTable([{ id: 'ap_01a233d2ca2726010d6ac143', text: TEXT, status: 'pending' }], ['id', 'text', 'status'], { width: 70 }));
    for (const line of out.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(70);
    expect(out).toContain('ap_01a233d2ca2726010d6ac143');
    const lines = out.trimEnd().split('\n');
    const [from, to] = [lines[0]!.indexOf('text'), lines[0]!.indexOf('status')];
    const column = lines.slice(2).map((l) => l.slice(from, to).trim()).join(' ');
    expect(column).toBe(TEXT);
    expect(out).not.toContain('…');
  });

  it('keeps lines whole when there is no width to fit (piped output)', () => {
    const out = captured(() => printTable([{ id: 'x', text: TEXT }], ['id', 'text'], { width: Number.POSITIVE_INFINITY }));
    expect(out.split('\n')[2]).toBe(`x   ${TEXT}`);
  });
});

describe('printCards', () => {
  it('prints every field whole, wrapped under its label', () => {
    const out = captured(() => printCards([{ title: 'ap_1  sms.send  pending', fields: [['to', '+14165550166'], ['text', TEXT], ['why', null]] }], 50));
    expect(out).toMatch(/^ap_1 {2}sms\.send {2}pending\n {2}to: {3}\+14165550166\n {2}text: Hi,/);
    expect(out).not.toContain('why');
    expect(out.replace(/\s+/g, ' ')).toContain(TEXT);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
  });
});

describe('wrapText', () => {
  it('breaks at spaces and cuts only words longer than the width', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});
