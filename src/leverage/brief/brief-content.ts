/**
 * What a stored brief says, in the shape the Today page's card and the email both render: a
 * subject, a headline per section and the items that need the owner, each with its dashboard path.
 */

/** One line of a brief section: an item, with where to act on it (a dashboard path) when there is one. */
export interface BriefLine {
  text: string;
  /** Dashboard path, e.g. `/approvals` or `/conversations/cv_…` (the email makes it absolute). */
  href: string | null;
  /** The text carries a customer's words (a name, a subject): shown as outside text. */
  untrusted: boolean;
}

/** One section of a brief: "What came in", "What AIOS did", "What waits for you", "Money at risk", "The ledger". */
export interface BriefPart {
  id: 'came_in' | 'did' | 'waits' | 'money' | 'ledger';
  title: string;
  /** One sentence with the figures. */
  summary: string;
  lines: BriefLine[];
}

/** A brief as stored in `briefs.content` and served by `GET /api/v1/brief`. */
export interface BriefContent {
  kind: 'daily' | 'weekly';
  /** The business's local date, YYYY-MM-DD. */
  localDate: string;
  subject: string;
  parts: BriefPart[];
  /** The figures it was made from (a `DaySummary` for the daily brief, the ledger weeks for the weekly report). */
  figures: Record<string, unknown>;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `3 texts`, `1 text`; `many` overrides the plural (`1 reply`, `2 replies`). */
export function countOf(n: number, one: string, many?: string): string {
  return plural(n, one, many);
}

/** `a, b and c` (or `none` when empty). */
export function listWords(items: string[], none = 'nothing'): string {
  if (items.length === 0) return none;
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Whole minutes as words: `45 minutes`, `2 h 5 min`. */
export function minutesWords(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return plural(m, 'minute');
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}
