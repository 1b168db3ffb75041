import type { UntrustedText } from '../../ai/prompt.js';

/** Longest outside text kept on an approval, in characters (the rest is cut with "…"). */
export const UNTRUSTED_MAX_CHARS = 2000;
/** Most outside texts kept on one approval. */
export const UNTRUSTED_MAX_ITEMS = 5;

/**
 * The parts of a proposal that came from outside the business, as stored on the approval
 * (`approvals.untrusted`) and shown to the owner in a block marked "From outside — not written by
 * you or AIOS": empty texts dropped, at most {@link UNTRUSTED_MAX_ITEMS} items of at most
 * {@link UNTRUSTED_MAX_CHARS} characters, labels at most 80 characters. Pure.
 */
export function outsideParts(parts: ReadonlyArray<UntrustedText | null | undefined> | undefined): UntrustedText[] {
  return (parts ?? [])
    .filter((p): p is UntrustedText => !!p && typeof p.text === 'string' && p.text.trim() !== '')
    .slice(0, UNTRUSTED_MAX_ITEMS)
    .map((p) => ({
      label: String(p.label || 'outside text').slice(0, 80),
      text: p.text.length > UNTRUSTED_MAX_CHARS ? `${p.text.slice(0, UNTRUSTED_MAX_CHARS - 1)}…` : p.text,
    }));
}
