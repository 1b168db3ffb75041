import { toGsmFriendly } from '../../core/sms-segments.js';
import type { TenantInfo } from '../../records/tenants.js';

/**
 * The text an SMS goes out with, after the owner's `profile.sms.plain_characters` allowance:
 * typographic characters that force UCS-2 (curly quotes, dashes, ellipsis, odd spaces) are
 * replaced by plain GSM ones — for AIOS's own texts (templates, model drafts) unless the owner set
 * it to false, and for texts others wrote (API, MCP, owner edits) only when the owner set it to
 * true. Applied after the outbound guard saw the original text.
 * @param byAios true when AIOS drafted the text itself.
 */
export function plainSmsBody(tenant: Pick<TenantInfo, 'profile'>, text: string, byAios: boolean): string {
  const allowed = tenant.profile.sms?.plain_characters ?? byAios;
  return allowed ? toGsmFriendly(text) : text;
}
