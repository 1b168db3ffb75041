import type { Logger } from '../core/logger.js';
import { runBriefs, type BriefDeps, type BriefPass } from '../leverage/brief/run-briefs.js';

/** How often the brief scheduler looks whether a brief is due, in milliseconds (`AIOS_BRIEF_EVERY_MS`). */
export const BRIEF_EVERY_MS = 60_000;

/** A running brief scheduler. */
export interface BriefSchedule {
  /** The pass run at start: today's brief when its time has passed (catch-up after downtime). */
  firstPass: Promise<BriefPass>;
  /** Runs a pass now (waits for a running one first; passes never overlap). */
  runNow(): Promise<BriefPass>;
  stop(): Promise<void>;
}

const emptyPass = (err: unknown): BriefPass => ({ made: [], sent: [], notSent: [], failed: [String(err)] });

/**
 * Starts the daily brief and weekly report: one pass at once (the catch-up), then one every
 * `everyMs`. Passes in one process never overlap; across processes the `briefs` row (unique per
 * business, kind and local date) and its sender lease make every brief once.
 */
export function startBriefSchedule(d: BriefDeps & { log: Logger }, everyMs = BRIEF_EVERY_MS): BriefSchedule {
  let current: Promise<BriefPass> | null = null;
  let stopped = false;
  const run = (): Promise<BriefPass> => {
    const p: Promise<BriefPass> = runBriefs(d)
      .then((pass) => {
        if (pass.failed.length) d.log.warn({ failed: pass.failed }, 'some briefs failed; they are tried again at the next pass');
        if (pass.notSent.length) d.log.info({ notSent: pass.notSent }, 'briefs not emailed');
        if (pass.made.length || pass.sent.length) d.log.info({ made: pass.made, sent: pass.sent }, 'briefs');
        return pass;
      })
      .catch((err: unknown): BriefPass => {
        d.log.warn({ err }, 'brief pass failed');
        return emptyPass(err);
      })
      .finally(() => {
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
