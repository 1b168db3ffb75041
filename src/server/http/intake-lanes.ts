/**
 * One lane per business for webhook intake in this process: at most `perBusiness` of a business's
 * webhooks are in their transaction at once, the others wait in that business's line (first come,
 * first served). A flood from one business (a spam storm on its number) then holds at most that
 * many database connections, and another business's missed call goes straight through. Nothing
 * is refused: a waiting webhook is answered after its own commit, as always.
 */
export class IntakeLanes {
  private readonly lanes = new Map<string, { running: number; waiting: Array<() => void> }>();

  /** @param perBusiness webhooks of one business processed at the same time (≥ 1), or a function read at each webhook. */
  constructor(private readonly perBusiness: number | (() => number)) {}

  /** Runs `fn` in `key`'s lane, after the webhooks of that business that came before it. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { running: 0, waiting: [] }));
    const limit = typeof this.perBusiness === 'number' ? this.perBusiness : this.perBusiness();
    if (lane.running >= limit) await new Promise<void>((r) => lane!.waiting.push(r));
    else lane.running++;
    try {
      return await fn();
    } finally {
      const next = lane.waiting.shift();
      if (next) next(); // the slot passes to the next in line
      else if (--lane.running === 0) this.lanes.delete(key);
    }
  }

  /** Webhooks of `key` waiting for a slot (for tests and logs). */
  waiting(key: string): number {
    return this.lanes.get(key)?.waiting.length ?? 0;
  }
}

/**
 * Webhooks of one business taken in at the same time when `AIOS_BUSINESS_INTAKE_CONCURRENCY` is
 * not set: 1 once the instance serves several businesses, 4 for a single business. Measured on
 * the 2-core machine (`test/e2e/workers-fairness.test.ts`, A floods at 200 calls/s, B sends 5/s):
 * with 4 at once, B's webhook→SMS p99 rose 4–35× under A's flood, with 2 2.3–7.5×, with 1
 * 1.6–2.6×, while A's own intake slowed by about a third; a lone business at saturation (32 in
 * flight) took in 43–47 webhooks/s with 2 or 4 and 36 with 1, so it keeps 4 (nobody to yield to).
 */
export function defaultIntakeConcurrency(businesses: number): number {
  return businesses > 1 ? 1 : 4;
}
