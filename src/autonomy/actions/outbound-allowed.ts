import type { TenantInfo } from '../../records/tenants.js';
import type { OutboundAllowList } from '../../core/outbound-guard.js';

/**
 * The links and numbers a business's own messages may contain (everything else is a
 * `foreign_link` / `foreign_number` for the policy): its Twilio number, the owner's phone, the
 * profile's `other_phones`, its booking link (that path), its website, its review link (`profile.review_link`), and the host of
 * `AIOS_PUBLIC_URL` (approval links).
 * @param publicUrl AIOS's public base URL; ignored when empty.
 */
export function outboundAllowList(tenant: TenantInfo, publicUrl: string): OutboundAllowList {
  const links = [tenant.profile.booking_link, tenant.profile.website, tenant.profile.review_link, hostOf(publicUrl)].filter((l): l is string => !!l);
  const numbers = [tenant.phone, tenant.owner.phone, ...(tenant.profile.other_phones ?? [])].filter((n): n is string => !!n);
  return { links, numbers };
}

function hostOf(url: string): string | null {
  try {
    return url ? new URL(url).hostname : null;
  } catch {
    return null;
  }
}
