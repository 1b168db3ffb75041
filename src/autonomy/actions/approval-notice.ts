/** The SMS that asks the owner to decide, with the approval link. Kept short: one or two segments. */
export function approvalNotice(business: string, to: string, body: string, link: string): string {
  const preview = body.length > 90 ? `${body.slice(0, 87)}...` : body;
  return `${business} AIOS: OK to text ${to}? "${preview}" Decide: ${link}`;
}
