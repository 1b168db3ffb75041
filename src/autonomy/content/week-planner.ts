import type { Groundedness } from '../../knowledge/groundedness.js';
import { DEFAULT_SPACING, ideaSpaced, platformSlots, postsPerPlatform, type Spacing } from './calendar.js';
import type { Idea } from './ideas.js';
import { PLATFORM_RULES, type Platform, type PlatformRules } from './platform-rules.js';
import type { PostRewriter } from './model-writer.js';
import type { PostWriter } from './tables.js';
import { checkPost } from './post-check.js';
import { writePost, type DraftPost, type WriterContext } from './writer.js';

/** Posts a week by default (the issue's "about 20"). */
export const DEFAULT_POSTS_PER_WEEK = 20;

/** Checks a post's prices and claims against the knowledge (`checkGroundedness` bound to a tenant). */
export type GroundCheck = (text: string) => Promise<Groundedness>;

/** What to plan. */
export interface WeekInput {
  ideas: readonly Idea[];
  ctx: WriterContext;
  platforms: readonly Platform[];
  /** Local Monday of the week, `YYYY-MM-DD`. */
  monday: string;
  /** The audience's IANA time zone. */
  timeZone: string;
  /** Posts in the week (default {@link DEFAULT_POSTS_PER_WEEK}). */
  postsPerWeek?: number;
  spacing?: Spacing;
  ground: GroundCheck;
  /** Idea indexes the owner rejected before: never planned again. */
  skipIdeas?: ReadonlySet<number>;
  /** The model's rewrite of each checked template post (absent offline: templates only). */
  rewrite?: PostRewriter | null;
  /** Foreign links and numbers in a model-written text (the outbound guard), one line each. */
  guard?: (text: string) => string[];
}

/** A post with its slot and the idea it came from (index into `ideas`). */
export interface PlannedPost extends DraftPost {
  idea: number;
  at: Date;
  /** Who wrote the text: the template or the model (whose post passed every check). */
  writer: PostWriter;
  /** Why the model's post was not used, when the template was kept. */
  notes: string[];
}

/** A post the engine wrote and did not plan, and why. */
export interface LeftOut {
  idea: number;
  platform: Platform;
  reason: string;
}

/** A planned week. */
export interface WeekPlan {
  posts: PlannedPost[];
  /** Posts dropped by the groundedness check or the platform rules, one line each. */
  leftOut: LeftOut[];
  /** Slots no idea could fill (too few ideas for the spacing rules). */
  unfilled: number;
}

/**
 * Plans a week: the post count split over the platforms, each platform's best-time slots in the
 * audience's time zone, and for each slot (in time order) the least-used idea, best first, that is
 * not yet on that platform and not within `ideaGapHours` of its other posts. Each post is written
 * offline (then, with a model, rewritten by it and kept only when the rewrite passes the same
 * checks: see `modelOrTemplate`), checked against its platform's rules and the voice, and against the knowledge: a post
 * stating a price or claim the knowledge does not support is left out (listed with the reason)
 * and the next idea tried.
 */
export async function planWeek(input: WeekInput): Promise<WeekPlan> {
  const spacing = input.spacing ?? DEFAULT_SPACING;
  const counts = postsPerPlatform(input.postsPerWeek ?? DEFAULT_POSTS_PER_WEEK, input.platforms);
  const slots = input.platforms
    .flatMap((p) => platformSlots(p, PLATFORM_RULES[p].slots, input.monday, input.timeZone, counts.get(p) ?? 0, spacing))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || input.platforms.indexOf(a.platform) - input.platforms.indexOf(b.platform));
  const times = new Map<number, Date[]>();
  const onPlatform = new Set<string>();
  const failed = new Set<string>();
  const grounded = new Map<string, Groundedness>();
  const posts: PlannedPost[] = [];
  const leftOut: LeftOut[] = [];
  let unfilled = 0;
  const order = input.ideas.map((_, i) => i).filter((i) => !input.skipIdeas?.has(i));
  for (const slot of slots) {
    const rules = PLATFORM_RULES[slot.platform];
    const candidates = order
      .filter((i) => !onPlatform.has(`${i}:${slot.platform}`) && !failed.has(`${i}:${slot.platform}`) && ideaSpaced(times.get(i) ?? [], slot.at, spacing))
      .sort((a, b) => (times.get(a)?.length ?? 0) - (times.get(b)?.length ?? 0) || input.ideas[b]!.score - input.ideas[a]!.score || a - b);
    let placed = false;
    for (const i of candidates) {
      const key = `${i}:${slot.platform}`;
      const draft = writePost(input.ideas[i]!, rules, input.ctx);
      if (!draft) { failed.add(key); leftOut.push({ idea: i, platform: slot.platform, reason: 'nothing left after the voice rules' }); continue; }
      const problems = checkPost(draft, rules, input.ctx.banned);
      if (problems.length) { failed.add(key); leftOut.push({ idea: i, platform: slot.platform, reason: problems.map((p) => p.detail).join('; ') }); continue; }
      let g = grounded.get(draft.text);
      if (!g) { g = await input.ground(draft.text); grounded.set(draft.text, g); }
      if (!g.grounded) {
        failed.add(key);
        leftOut.push({ idea: i, platform: slot.platform, reason: `not supported by the knowledge: ${g.unsupported.map((u) => `"${u.claim}" (${u.reason})`).join('; ')}` });
        continue;
      }
      posts.push({ ...(await modelOrTemplate(input, i, rules, draft, grounded)), idea: i, at: slot.at });
      onPlatform.add(key);
      times.set(i, [...(times.get(i) ?? []), slot.at]);
      placed = true;
      break;
    }
    if (!placed) unfilled++;
  }
  return { posts, leftOut, unfilled };
}

/**
 * The model's rewrite of a template post that passed its checks, when it passes the same checks
 * (platform rules and voice, outbound guard, groundedness); else the template, with the reason.
 */
async function modelOrTemplate(input: WeekInput, i: number, rules: PlatformRules, draft: DraftPost, grounded: Map<string, Groundedness>): Promise<DraftPost & { writer: PostWriter; notes: string[] }> {
  if (!input.rewrite) return { ...draft, writer: 'template', notes: [] };
  const m = await input.rewrite(input.ideas[i]!, rules, draft);
  if (!m.ok) return { ...draft, writer: 'template', notes: [m.note] };
  const problems = [...checkPost(m.post, rules, input.ctx.banned).map((p) => p.detail), ...(input.guard?.(m.post.text) ?? [])];
  if (!problems.length) {
    let g = grounded.get(m.post.text);
    if (!g) { g = await input.ground(m.post.text); grounded.set(m.post.text, g); }
    problems.push(...g.unsupported.map((u) => `"${u.claim}" is not supported by the knowledge (${u.reason})`));
  }
  if (problems.length) return { ...draft, writer: 'template', notes: [`the model's post was not used: ${problems.join('; ')}`.slice(0, 1000)] };
  return { ...m.post, writer: 'model', notes: [] };
}
