/** A running periodic job: its first pass, "run one now", and stop. */
export interface PassSchedule<P> {
  /** The pass run at start (the catch-up after downtime). */
  firstPass: Promise<P>;
  /** Runs a pass now (waits for a running one first; passes never overlap). */
  runNow(): Promise<P>;
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` once at once, then every `everyMs` milliseconds. Passes never overlap: a tick while
 * one runs is skipped. `pass` must not reject (it reports its own failures in its result).
 */
export function startPassSchedule<P>(pass: () => Promise<P>, everyMs: number): PassSchedule<P> {
  let current: Promise<P> | null = null;
  let stopped = false;
  const run = (): Promise<P> => {
    const p: Promise<P> = pass().finally(() => {
      if (current === p) current = null;
    });
    current = p;
    return p;
  };
  const firstPass = run();
  const timer = setInterval(() => {
    if (!current && !stopped) void run();
  }, everyMs);
  timer.unref();
  return {
    firstPass,
    runNow: async () => {
      while (current) await current;
      return run();
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      if (current) await current;
    },
  };
}
