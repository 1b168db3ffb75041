import { MINUTES_PER_POST } from './publish-playbook.js';

/** Minutes one decision takes at the least (reading a post and tapping approve), in minutes. */
export const MINUTES_PER_DECISION = 0.5;
/** Decisions closer than this belong to one sitting, in minutes. */
export const SITTING_GAP_MINUTES = 15;

/** The week's value, as `aios content week` and the Content page show it. */
export interface ContentLedger {
  postsPlanned: number;
  published: number;
  approved: number;
  edited: number;
  rejected: number;
  /** Minutes the owner spent approving: each sitting's span, at least {@link MINUTES_PER_DECISION} a decision. */
  approvalMinutes: number;
  /** Published posts × the audit's minutes per post ({@link MINUTES_PER_POST}). */
  minutesSavedGross: number;
  /** Gross minus the approval minutes. */
  minutesSavedNet: number;
}

/**
 * Minutes spent deciding, measured from the decision times: decisions within
 * {@link SITTING_GAP_MINUTES} of the previous one are one sitting, counted from its first to its
 * last decision, and never less than {@link MINUTES_PER_DECISION} per decision. Pure.
 */
export function approvalMinutes(decidedAt: readonly Date[]): number {
  const t = decidedAt.map((d) => d.getTime()).sort((a, b) => a - b);
  let total = 0;
  let start = 0;
  for (let i = 0; i < t.length; i++) {
    const endsSitting = i === t.length - 1 || t[i + 1]! - t[i]! > SITTING_GAP_MINUTES * 60_000;
    if (!endsSitting) continue;
    const span = (t[i]! - t[start]!) / 60_000;
    total += Math.max(span, (i - start + 1) * MINUTES_PER_DECISION);
    start = i + 1;
  }
  return Math.round(total * 10) / 10;
}

/** The ledger of a week from its posts' statuses and decision times. Pure. */
export function contentLedger(posts: readonly { status: string; edited: boolean; decided_at: Date | null; decided_by: string | null }[]): ContentLedger {
  const byOwner = posts.filter((p) => p.decided_at && p.decided_by && p.decided_by !== 'policy');
  const published = posts.filter((p) => p.status === 'published').length;
  const minutes = approvalMinutes(byOwner.map((p) => p.decided_at!));
  return {
    postsPlanned: posts.length,
    published,
    approved: posts.filter((p) => ['scheduled', 'published', 'failed'].includes(p.status) && p.decided_by).length,
    edited: posts.filter((p) => p.edited).length,
    rejected: posts.filter((p) => p.status === 'rejected').length,
    approvalMinutes: minutes,
    minutesSavedGross: published * MINUTES_PER_POST,
    minutesSavedNet: Math.round((published * MINUTES_PER_POST - minutes) * 10) / 10,
  };
}
