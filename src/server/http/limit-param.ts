import { InputError } from '../../core/errors.js';

/** `?limit=` as a whole number 1..500 (default 50); anything else is a 400 saying what to send. */
export function limitParam(raw: string | undefined): number {
  const n = raw === undefined ? 50 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InputError('limit must be an integer 1..500', { fix: 'Use ?limit=50 (any whole number from 1 to 500), or leave it out.' });
  return n;
}
