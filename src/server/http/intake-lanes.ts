/**
 * One lane per business for webhook intake in this process: at most `perBusiness` of a business's
 * webhooks are in their transaction at once, the others wait in that business's line (first come,
 * first served). A flood from one business (a spam storm on its number) then holds at most that
 * many database connections, and another business's missed call goes straight through. Nothing
 * is refused: a waiting webhook is answered after its own commit, as always.
 */
export class IntakeLanes {
  private readonly lanes = new Map<string, { running: number; waiting: Array<() => void> }>();

  /** @param perBusiness webhooks of one business processed at the same time (≥ 1). */
  constructor(private readonly perBusiness: number) {}

  /** Runs `fn` in `key`'s lane, after the webhooks of that business that came before it. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { running: 0, waiting: [] }));
    if (lane.running >= this.perBusiness) await new Promise<void>((r) => lane!.waiting.push(r));
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
