/**
 * Injectable time. Production uses the system clock; tests pass a fixed or advancing clock so that
 * time-dependent rules (quiet hours, daily limits, link expiry) are tested without waiting.
 */
export interface Clock {
  /** Current instant. */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at `at` that tests can move with `set` and `advance` (milliseconds). */
export class ManualClock implements Clock {
  private t: number;
  constructor(at: Date | string) {
    this.t = new Date(at).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
