import { InputError } from './errors.js';

/**
 * A point in the past from "30d", "12h", "90m", "2w" (before `now`), or an ISO 8601 date/time.
 * @throws InputError naming the accepted forms.
 */
export function parseSince(text: string, now: Date): Date {
  const m = /^(\d{1,5})\s*([mhdw])$/i.exec(text.trim());
  if (m) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[m[2]!.toLowerCase() as 'm' | 'h' | 'd' | 'w'];
    return new Date(now.getTime() - Number(m[1]) * unit);
  }
  const d = new Date(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(d.getTime())) return d;
  throw new InputError(`"${text}" is not a duration or a date`, { fix: 'Use a duration back from now (30d, 12h, 90m, 2w) or an ISO date such as 2026-11-01.' });
}
