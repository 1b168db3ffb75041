/**
 * The SMS that asks the owner to decide, with the approval link. Kept short: one or two segments.
 * `what` names the action ("text +1416…", "call crm.create_note"), `text` previews its content.
 */
export function approvalNotice(business: string, what: string, text: string, link: string): string {
  const preview = text.length > 90 ? `${text.slice(0, 87)}...` : text;
  return `${business} AIOS: OK to ${what}? "${preview}" Decide: ${link}`;
}
