import { randomInt } from 'node:crypto';

/** Letters of a short code: no I or O (they read as 1 and 0). */
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Digits of a short code: no 0 or 1. */
const DIGITS = '23456789';
const CODE = /^[A-HJ-NP-Z][2-9][A-HJ-NP-Z]$/;

/**
 * A random short code for an approval: letter, digit, letter (e.g. `K7Q`; 4,608 codes). The digit
 * keeps codes from spelling a word, so a reply's first word is a code only when the owner meant it.
 */
export function newShortCode(): string {
  return `${LETTERS[randomInt(LETTERS.length)]}${DIGITS[randomInt(DIGITS.length)]}${LETTERS[randomInt(LETTERS.length)]}`;
}

/** True when `word` (any case) has the shape of a short code. */
export function isShortCode(word: string): boolean {
  return CODE.test(word.toUpperCase());
}
