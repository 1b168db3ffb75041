import type { Logger } from '../core/logger.js';
import { runBriefs, type BriefDeps, type BriefPass } from '../leverage/brief/run-briefs.js';
import { startPassSchedule, type PassSchedule } from './pass-schedule.js';

/** How often the brief scheduler looks whether a brief is due, in milliseconds (`AIOS_BRIEF_EVERY_MS`). */
export const BRIEF_EVERY_MS = 60_000;

/** A running brief scheduler; its first pass makes today's brief when its time has passed (catch-up after downtime). */
export type BriefSchedule = PassSchedule<BriefPass>;

const emptyPass = (err: unknown): BriefPass => ({ made: [], sent: [], notSent: [], failed: [String(err)] });

/**
 * Starts the daily brief and weekly report: one pass at once (the catch-up), then one every
 * `everyMs`. Passes in one process never overlap; across processes the `briefs` row (unique per
 * business, kind and local date) and its sender lease make every brief once.
 */
export function startBriefSchedule(d: BriefDeps & { log: Logger }, everyMs = BRIEF_EVERY_MS): BriefSchedule {
  const pass = () => runBriefs(d)
    .then((p) => {
      if (p.failed.length) d.log.warn({ failed: p.failed }, 'some briefs failed; they are tried again at the next pass');
      if (p.notSent.length) d.log.info({ notSent: p.notSent }, 'briefs not emailed');
      if (p.made.length || p.sent.length) d.log.info({ made: p.made, sent: p.sent }, 'briefs');
      return p;
    })
    .catch((err: unknown): BriefPass => {
      d.log.warn({ err }, 'brief pass failed');
      return emptyPass(err);
    });
  return startPassSchedule(pass, everyMs);
}
