/**
 * Each platform's rules as data: length limits, hashtag conventions, link handling, call-to-action
 * types, image needs, and the default best-time slots (local wall-clock times in the audience's
 * time zone). The writer fits every post to these rules and `checkPost` refuses one that breaks
 * them, so a rule lives here once.
 *
 * Limits are the platforms' published ones (checked December 2026):
 * - LinkedIn: a post's commentary is at most 3,000 characters; the feed shows about 210 before
 *   "see more" (LinkedIn Help "Character limits").
 * - Instagram: a caption is at most 2,200 characters and 30 hashtags; links in captions are not
 *   clickable (Instagram Help "Add hashtags", Graph API `caption` limits); every post needs an image.
 * - Facebook: a Page post is at most 63,206 characters (Graph API `message`).
 * - X: 280 characters, every URL counted as 23 (t.co wrapping, X Developer "Counting characters").
 * - Google Business Profile: an update post is at most 1,500 characters; its call to action is a
 *   button of one `actionType` (BOOK, ORDER, SHOP, LEARN_MORE, SIGN_UP, CALL; Business Profile API
 *   `LocalPost`); hashtags are not a convention there and phone numbers in the text get posts
 *   rejected (Google "Posts content policy").
 */

/** The platforms the content engine writes for. */
export const PLATFORMS = ['linkedin', 'instagram', 'facebook', 'x', 'google_business'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** How a platform treats a link in the post. */
export type LinkHandling =
  /** The URL goes in the text and is clickable. */
  | 'inline'
  /** The URL goes in the text but counts as a fixed number of characters (`linkChars`). */
  | 'inline_fixed'
  /** Links in the text are not clickable: the post says "link in bio" instead. */
  | 'bio'
  /** The URL is the call-to-action button's, never in the text. */
  | 'button';

/** A best-time slot: a local wall-clock time on a weekday (0 = Sunday … 6 = Saturday). */
export interface LocalSlot {
  weekday: number;
  /** Hour 0–23. */
  hour: number;
  /** Minute 0–59. */
  minute: number;
}

/** One platform's rules. */
export interface PlatformRules {
  platform: Platform;
  label: string;
  /** Hard limit in characters (Unicode code points; X counts each URL as `linkChars`). */
  maxChars: number;
  /** Length the writer aims at, in characters (engagement falls off well before the limit). */
  targetChars: number;
  /** Hashtags: how many the writer puts at the end (0 = none), and the platform's maximum. */
  hashtags: { count: number; max: number };
  link: LinkHandling;
  /** With `inline_fixed`: characters one URL counts as. */
  linkChars?: number;
  /** Call-to-action types the platform offers; the first is the default. */
  ctaTypes: readonly string[];
  /** Whether a post needs an image, and what the owner should attach. */
  image: { required: boolean; note: string };
  /** Whether the voice's sign-off is added (it is left off where space is precious). */
  signOff: boolean;
  /** Phone numbers in the text are refused (Google Business Profile). */
  noPhoneNumbers: boolean;
  /**
   * Default best-time slots, local time in the audience's zone, in order of preference. General
   * guidance from the schedulers' published engagement studies (weekday mornings and lunch for
   * LinkedIn, late morning and evening for Instagram…); the owner changes them in settings.
   */
  slots: readonly LocalSlot[];
}

const at = (weekday: number, hour: number, minute = 0): LocalSlot => ({ weekday, hour, minute });

/** The rules of every platform, by platform. */
export const PLATFORM_RULES: Readonly<Record<Platform, PlatformRules>> = {
  linkedin: {
    platform: 'linkedin', label: 'LinkedIn', maxChars: 3000, targetChars: 900,
    hashtags: { count: 3, max: 5 }, link: 'inline', ctaTypes: ['learn_more', 'book', 'contact'],
    image: { required: false, note: 'Optional: a photo of the work or a simple quote card (1200×627).' },
    signOff: true, noPhoneNumbers: false,
    slots: [at(2, 8, 30), at(3, 12), at(4, 8, 30), at(1, 9), at(5, 10), at(3, 17)],
  },
  instagram: {
    platform: 'instagram', label: 'Instagram', maxChars: 2200, targetChars: 600,
    hashtags: { count: 8, max: 30 }, link: 'bio', ctaTypes: ['link_in_bio', 'comment', 'dm'],
    image: { required: true, note: 'Required: a square photo (1080×1080) or a quote card; the post cannot go out without it.' },
    signOff: true, noPhoneNumbers: false,
    slots: [at(1, 11), at(3, 19), at(5, 11), at(6, 10), at(2, 19), at(4, 11)],
  },
  facebook: {
    platform: 'facebook', label: 'Facebook', maxChars: 63206, targetChars: 500,
    hashtags: { count: 2, max: 3 }, link: 'inline', ctaTypes: ['learn_more', 'book', 'call', 'message'],
    image: { required: false, note: 'Recommended: one photo (1200×630); a link preview is used otherwise.' },
    signOff: true, noPhoneNumbers: false,
    slots: [at(2, 9), at(4, 13), at(6, 10), at(1, 13), at(3, 9)],
  },
  x: {
    platform: 'x', label: 'X', maxChars: 280, targetChars: 240,
    hashtags: { count: 1, max: 2 }, link: 'inline_fixed', linkChars: 23, ctaTypes: ['learn_more', 'reply'],
    image: { required: false, note: 'Optional: one image (1600×900) lifts engagement.' },
    signOff: false, noPhoneNumbers: false,
    slots: [at(1, 9), at(2, 12), at(3, 9), at(4, 12), at(5, 9), at(3, 17)],
  },
  google_business: {
    platform: 'google_business', label: 'Google Business Profile', maxChars: 1500, targetChars: 700,
    hashtags: { count: 0, max: 0 }, link: 'button', ctaTypes: ['LEARN_MORE', 'BOOK', 'CALL', 'ORDER', 'SHOP', 'SIGN_UP'],
    image: { required: false, note: 'Recommended: one photo (1200×900, at least 400×300) of the work or the team.' },
    signOff: false, noPhoneNumbers: true,
    slots: [at(1, 10), at(3, 10), at(5, 10), at(2, 10)],
  },
};

const URL_RE = /\bhttps?:\/\/[^\s)]+/g;

/**
 * A post's length as the platform counts it, in characters: Unicode code points, with every URL
 * counted as `linkChars` where the platform wraps links (X).
 */
export function platformLength(text: string, rules: PlatformRules): number {
  if (rules.link === 'inline_fixed' && rules.linkChars) {
    let n = 0;
    const rest = text.replace(URL_RE, () => { n += rules.linkChars!; return ''; });
    return [...rest].length + n;
  }
  return [...text].length;
}

/** A phone number in running text (7+ digits with separators), as Google Business Profile refuses. */
export const PHONE_RE = /(?:\+?\d[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b/;
