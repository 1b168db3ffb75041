/**
 * Width to fit output to, in characters: the terminal's, or `COLUMNS`; when stdout is not a
 * terminal (piped to a file or `grep`) and `COLUMNS` is unset, unlimited, so lines stay whole.
 */
export function terminalWidth(): number {
  if (process.stdout.isTTY && process.stdout.columns) return process.stdout.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env > 20 ? env : Number.POSITIVE_INFINITY;
}

/** One cell as text: dates as ISO, objects as JSON, runs of whitespace as one space. */
function cellText(v: unknown): string {
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '');
  return s.replace(/\s+/g, ' ').trim();
}

/** Splits text into lines of at most `width` characters, at spaces where possible (long words are cut). */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let rest = word;
    while (rest.length > w) {
      if (line) out.push(line), (line = '');
      out.push(rest.slice(0, w));
      rest = rest.slice(w);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= w) line += ' ' + rest;
    else out.push(line), (line = rest);
  }
  if (line || out.length === 0) out.push(line);
  return out;
}

/**
 * Prints rows as an aligned text table (or JSON with --json). Nothing is cut: a long cell wraps
 * within its column so that the table fits the terminal width ({@link terminalWidth}); `max`
 * (characters) caps a column's width before wrapping.
 */
export function printTable(rows: Array<Record<string, unknown>>, columns: string[], opts: { json?: boolean; max?: number; width?: number } = {}): void {
  if (opts.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const data = rows.map((r) => columns.map((c) => cellText(r[c])));
  const natural = columns.map((c, i) => Math.max(c.length, ...data.map((d) => d[i]!.length)));
  // A column is never narrower than its longest word (ids, times and numbers are never broken).
  const floor = columns.map((c, i) => Math.max(c.length, ...data.map((d) => Math.max(...d[i]!.split(' ').map((w) => w.length)))));
  const widths = natural.map((w, i) => Math.max(floor[i]!, Math.min(w, opts.max ?? Number.POSITIVE_INFINITY)));
  // Then the widest wrappable columns shrink until the table fits (two spaces between columns).
  const total = opts.width ?? terminalWidth();
  const fits = () => widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1) <= total;
  while (!fits()) {
    const shrinkable = widths.map((w, i) => (w > floor[i]! ? w : -1));
    const i = shrinkable.indexOf(Math.max(...shrinkable));
    if (shrinkable[i]! < 0) break;
    widths[i]! -= 1;
  }
  const line = (cells: string[]) => cells.map((s, i) => s.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(columns.map((c, i) => c.slice(0, widths[i]))), line(widths.map((w) => '-'.repeat(w)))];
  for (const d of data) {
    const wrapped = d.map((s, i) => wrapText(s, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let k = 0; k < height; k++) out.push(line(wrapped.map((w) => w[k] ?? '')));
  }
  process.stdout.write(out.join('\n') + '\n');
}

/**
 * Prints one "card" per item: a title line, then `label: value` lines whose values wrap to the
 * terminal width, aligned under each other. Empty values are left out.
 */
export function printCards(cards: Array<{ title: string; fields: Array<[string, unknown]> }>, width = terminalWidth()): void {
  if (cards.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const out: string[] = [];
  for (const card of cards) {
    out.push(card.title);
    const fields = card.fields.filter(([, v]) => v !== null && v !== undefined && cellText(v) !== '');
    const pad = Math.max(...fields.map(([k]) => k.length), 0) + 2;
    for (const [k, v] of fields) {
      const lines = width === Number.POSITIVE_INFINITY ? [cellText(v)] : wrapText(cellText(v), Math.max(20, width - pad - 4));
      out.push(`  ${`${k}:`.padEnd(pad)}${lines[0]}`, ...lines.slice(1).map((l) => `  ${' '.repeat(pad)}${l}`));
    }
    out.push('');
  }
  process.stdout.write(out.join('\n'));
}

/**
 * Card fields for the parts of an approval that came from outside the business (`untrusted` on the
 * API approval object): each is labelled FROM OUTSIDE with where it came from and "not written by
 * you or AIOS", its text on one line after `»` (at most 300 characters).
 */
export function outsideFields(untrusted: Array<{ label: string; text: string }> | undefined): Array<[string, string]> {
  return (untrusted ?? []).map((u) => ['FROM OUTSIDE', `[${u.label}; not written by you or AIOS] » ${u.text.replace(/\s+/g, ' ').trim().slice(0, 300)}`]);
}
