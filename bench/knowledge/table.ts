/** Prints an aligned plain-text table (numbers right-aligned). */
export function printTable(title: string, header: string[], rows: (string | number)[][], note?: string): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: (string | number)[], i: number) =>
    r.map((c, j) => (i > 0 && typeof rows[i - 1]?.[j] === 'number' ? String(c).padStart(widths[j]!) : String(c).padEnd(widths[j]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header, 0));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  cells.slice(1).forEach((r, i) => console.log(line(r, i + 1)));
  if (note) console.log(note);
}

function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(3);
}

/** The p-th percentile (0..100) of values, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
