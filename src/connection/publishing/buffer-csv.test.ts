import { describe, it, expect } from 'vitest';
import { parse } from 'csv-parse/sync';
import { bufferCsv, BUFFER_COLUMNS, BUFFER_MAX_ROWS } from './buffer-csv.js';

describe('Buffer bulk-upload CSV', () => {
  it('writes Buffer\'s header and parses back exactly, with commas, quotes, line breaks and emoji in the text', () => {
    const hard = 'Frost tonight ❄️, "really" cold.\nShut the valve, then drain it 🔧\r\nQuestions? Ask "us", anytime; 50% off? No.';
    const csv = bufferCsv([
      { text: 'second', imageUrl: null, tags: ['aios'], at: new Date('2026-12-08T18:00:00Z') },
      { text: hard, imageUrl: 'https://cdn.example.com/a,b.jpg', tags: ['aios', 'tip'], at: new Date('2026-12-07T14:30:00Z') },
    ], 'America/Toronto');
    expect(csv.split('\r\n')[0]).toBe('Text,Image URL,Tags,Posting Time');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...BUFFER_COLUMNS]);
    expect(rows).toEqual([
      { Text: hard, 'Image URL': 'https://cdn.example.com/a,b.jpg', Tags: 'aios,tip', 'Posting Time': '2026-12-07 09:30' },
      { Text: 'second', 'Image URL': '', Tags: 'aios', 'Posting Time': '2026-12-08 13:00' },
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('keeps a file within Buffer\'s 100 posts', () => {
    const many = Array.from({ length: 130 }, (_, i) => ({ text: `post ${i}`, imageUrl: null, tags: [], at: new Date(Date.UTC(2026, 11, 7, 0, i)) }));
    const rows = parse(bufferCsv(many, 'UTC'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(BUFFER_MAX_ROWS);
    expect(rows[0]!['Posting Time']).toBe('2026-12-07 00:00');
  });
});
