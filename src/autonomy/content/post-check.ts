import { PHONE_RE, platformLength, type PlatformRules } from './platform-rules.js';
import type { DraftPost } from './writer.js';

/** One broken rule of a post. */
export interface PostProblem {
  rule: 'length' | 'hashtags' | 'link' | 'phone' | 'banned' | 'cta' | 'image';
  detail: string;
}

const URL_RE = /\bhttps?:\/\/\S+/;

/**
 * Checks a post (written or edited by the owner) against its platform's rules and the voice's
 * banned phrases: length as the platform counts it, hashtag count and convention, link handling
 * (none in the text where links are a button or not clickable), phone numbers where refused, the
 * call-to-action type, and the image note where an image is required. Pure.
 * @returns every problem, empty when the post may go out
 */
export function checkPost(post: Pick<DraftPost, 'text' | 'cta' | 'imageNote' | 'imageRequired'>, rules: PlatformRules, banned: readonly string[]): PostProblem[] {
  const out: PostProblem[] = [];
  const len = platformLength(post.text, rules);
  if (len > rules.maxChars) out.push({ rule: 'length', detail: `${len} characters; ${rules.label} allows ${rules.maxChars}` });
  if (!post.text.trim()) out.push({ rule: 'length', detail: 'the post is empty' });
  const tags = post.text.match(/(?:^|\s)#[\p{L}\p{N}_]+/gu) ?? [];
  if (tags.length > rules.hashtags.max) out.push({ rule: 'hashtags', detail: `${tags.length} hashtags; ${rules.label} takes at most ${rules.hashtags.max}` });
  if ((rules.link === 'button' || rules.link === 'bio') && URL_RE.test(post.text)) {
    out.push({ rule: 'link', detail: rules.link === 'button' ? `${rules.label} takes the link as the button's, not in the text` : `links in ${rules.label} text are not clickable; say "link in bio"` });
  }
  if (rules.noPhoneNumbers && PHONE_RE.test(post.text)) out.push({ rule: 'phone', detail: `${rules.label} rejects posts with a phone number in the text; use the CALL button` });
  const lower = post.text.toLowerCase();
  for (const b of banned) if (b && lower.includes(b)) out.push({ rule: 'banned', detail: `uses "${b}", a phrase the voice bans` });
  if (!rules.ctaTypes.includes(post.cta.type)) out.push({ rule: 'cta', detail: `"${post.cta.type}" is not a ${rules.label} call to action (${rules.ctaTypes.join(', ')})` });
  if (rules.image.required && (!post.imageRequired || !post.imageNote)) out.push({ rule: 'image', detail: `${rules.label} needs an image; the post must say so` });
  return out;
}

/**
 * Why a post cannot be approved or published yet for want of an image (its platform's rules
 * require one and none is attached), else null. The words are the week view's "needs an image".
 */
export function imageProblem(post: { imageUrl: string | null }, rules: PlatformRules): string | null {
  if (!rules.image.required || post.imageUrl) return null;
  return `needs an image: ${rules.label} posts cannot go out without one; attach its https URL first`;
}
