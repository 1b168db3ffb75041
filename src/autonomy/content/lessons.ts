import type { WriterLessons } from './writer.js';

/** What the owner's rejection reasons teach the writer, plus the phrases they quoted. */
export interface Lessons extends WriterLessons {
  /** Phrases quoted in reasons ("never say 'super deal'"), lower case: never written again. */
  banned: string[];
}

const QUOTED = /["“'‘]([^"”'’\n]{2,60})["”'’]/g;

/**
 * Reads rejection reasons (oldest first) into writer adjustments: "too long" / "shorter" → each
 * such reason shortens the target by 20% (down to half); "no hashtags" → none, "too many hashtags"
 * → at most 2; "emoji", "exclamation", "salesy", "too pushy" → plain text; a phrase in quotes →
 * banned. A reason is also stored with its post, and the rejected idea is not planned again. Pure.
 */
export function learnFromRejections(reasons: readonly string[]): Lessons {
  let lengthFactor = 1;
  let maxHashtags: number | null = null;
  let plain = false;
  const banned = new Set<string>();
  for (const r of reasons) {
    const t = r.toLowerCase();
    if (/\b(too long|shorter|wordy|too much text|long-winded)\b/.test(t)) lengthFactor = Math.max(0.5, lengthFactor * 0.8);
    if (/\b(no|without|drop|remove|stop using)\s+(the\s+)?hashtags?\b/.test(t)) maxHashtags = 0;
    else if (/\b(too many|fewer|less)\s+hashtags?\b/.test(t)) maxHashtags = Math.min(maxHashtags ?? 2, 2);
    if (/\b(emojis?|exclamation|salesy|pushy|shouty|hype)\b/.test(t)) plain = true;
    for (const m of r.matchAll(QUOTED)) banned.add(m[1]!.trim().toLowerCase());
  }
  return { lengthFactor, maxHashtags, plain, banned: [...banned] };
}
