import { describe, expect, it } from 'vitest';
import { countSegments, describeSegments, isGsmChar, toGsmFriendly } from './sms-segments.js';

const a = (n: number): string => 'a'.repeat(n);

describe('countSegments: GSM-7', () => {
  it('160 septets fit one segment, 161 need two', () => {
    expect(countSegments(a(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160, unitsPerSegment: 160, ucs2Chars: [] });
    expect(countSegments(a(161))).toMatchObject({ encoding: 'GSM-7', segments: 2, units: 161, unitsPerSegment: 153 });
  });

  it('concatenated segments hold 153 septets: 306 is two, 307 is three', () => {
    expect(countSegments(a(306)).segments).toBe(2);
    expect(countSegments(a(307)).segments).toBe(3);
    expect(countSegments(a(153 * 3)).segments).toBe(3);
  });

  it('extension-table characters count 2 septets', () => {
    for (const ch of ['^', '{', '}', '\\', '[', '~', ']', '|', '€', '\f']) {
      expect(countSegments(ch)).toMatchObject({ encoding: 'GSM-7', units: 2 });
    }
    expect(countSegments(a(158) + '€').segments).toBe(1); // 160 septets
    expect(countSegments(a(159) + '€').segments).toBe(2); // 161 septets
  });

  it('an escape pair never straddles two segments', () => {
    // 152 + 2 would cross the 153 boundary: the € moves to segment 2.
    expect(countSegments(a(152) + '€' + a(151)).segments).toBe(2); // segment 2 holds 2 + 151 = 153
    expect(countSegments(a(152) + '€' + a(152)).segments).toBe(3); // 306 septets, but the pair cannot split
    expect(countSegments(a(152) + '€' + a(152)).units).toBe(306);
  });

  it('the whole GSM basic alphabet is 1 septet each, accents outside it force UCS-2', () => {
    const basic = '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà';
    expect(countSegments(basic)).toMatchObject({ encoding: 'GSM-7', units: Array.from(basic).length });
    expect(isGsmChar('á')).toBe(false);
    expect(countSegments('café à la carte, très bien').encoding).toBe('GSM-7'); // é, à, è are in the alphabet
    expect(countSegments('crêpe')).toMatchObject({ encoding: 'UCS-2', ucs2Chars: ['ê'] });
  });

  it('an empty text is 0 segments', () => {
    expect(countSegments('').segments).toBe(0);
  });
});

describe('countSegments: UCS-2', () => {
  it('70 code units fit one segment, 71 need two (67 each)', () => {
    expect(countSegments('—' + a(69))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70, unitsPerSegment: 70, ucs2Chars: ['—'] });
    expect(countSegments('—' + a(70))).toMatchObject({ segments: 2, units: 71, unitsPerSegment: 67 });
    expect(countSegments('—' + a(133)).segments).toBe(2); // 134 = 2 × 67
    expect(countSegments('—' + a(134)).segments).toBe(3);
  });

  it('an emoji is 2 code units and is never split across segments', () => {
    expect(countSegments('😀')).toMatchObject({ encoding: 'UCS-2', units: 2, segments: 1, ucs2Chars: ['😀'] });
    expect(countSegments('😀' + a(68)).segments).toBe(1); // 70 units
    // 66 units then an emoji: 66 + 2 would cross 67, so the emoji starts segment 2 (66 | 2 + 65).
    expect(countSegments(a(66) + '😀' + a(65)).segments).toBe(2);
    // 134 units is 2 × 67, but the unsplittable pair leaves unit 67 of segment 1 empty: 3 segments.
    expect(countSegments(a(66) + '😀' + a(66))).toMatchObject({ units: 134, segments: 3 });
  });

  it('lists each character that forces UCS-2 once, in order', () => {
    expect(countSegments('a—b“c”—').ucs2Chars).toEqual(['—', '“', '”']);
  });

  it('the old default missed-call text with two em-dashes is 4 UCS-2 segments', () => {
    const old =
      "Hi Sam, it's Maple Plumbing & Heating — sorry we missed your call! What can we help you with? Reply here and we'll get right back to you. Or book a time: https://book.mapleplumbing.example/ — Dana & the Maple team";
    expect(countSegments(old)).toMatchObject({ encoding: 'UCS-2', segments: 4 });
  });
});

describe('toGsmFriendly', () => {
  it('replaces typographic characters by GSM ones', () => {
    const text = '“Hi” ‘there’ — it’s 9–5… • ok\u00A0now\u200B!';
    const plain = toGsmFriendly(text);
    expect(plain).toBe('"Hi" \'there\' - it\'s 9-5... - ok now!');
    expect(countSegments(plain).encoding).toBe('GSM-7');
  });

  it('keeps content characters (names, emoji) and leaves GSM text unchanged', () => {
    expect(toGsmFriendly('Zoë 😀')).toBe('Zoë 😀');
    const gsm = 'Plain text, €5 [ok] {fine}';
    expect(toGsmFriendly(gsm)).toBe(gsm);
  });
});

describe('describeSegments', () => {
  it('names the encoding and the characters forcing UCS-2', () => {
    expect(describeSegments(countSegments('hello'))).toBe('1 SMS segment (GSM-7)');
    expect(describeSegments(countSegments('—' + a(201)))).toBe('4 SMS segments (UCS-2 because of —)');
    expect(describeSegments(countSegments('a\u00A0b'))).toBe('1 SMS segment (UCS-2 because of U+00A0)');
  });
});
