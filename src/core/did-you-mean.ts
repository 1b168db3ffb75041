/**
 * "Did you mean …?" for misspelled names (setting keys, action kinds, slugs). Distance is the
 * optimal-string-alignment variant of Damerau–Levenshtein: insert, delete, substitute, or swap two
 * adjacent characters each cost 1, so `sms.sned` is 1 away from `sms.send`.
 */

/**
 * Edit distance between two strings (optimal string alignment: adjacent transpositions count 1).
 * @returns the number of single-character edits, 0 when equal.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  // Three rows: two back (for transpositions), previous, current.
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `input`, if it is close enough to be a likely typo: at most
 * `max(1, floor(length / 3))` edits (case-insensitive). Ties go to the earlier candidate.
 * @returns the candidate, or undefined when none is close.
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === input) continue;
    const d = editDistance(needle, c.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * A suffix for an error message: `; did you mean "quiet_hours"?`, or '' when nothing is close.
 * @param input the misspelled name as written.
 * @param candidates the names that would have been accepted.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const m = closestMatch(input, candidates);
  return m === undefined ? '' : `; did you mean "${m}"?`;
}
