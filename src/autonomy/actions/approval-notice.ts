import { LINK_PLACEHOLDER, LINK_TOKEN_LENGTH } from '../approvals/approval-links.js';

/** Longest notice, in characters: three concatenated GSM-7 SMS segments of 153. */
export const NOTICE_MAX_CHARS = 3 * 153;

/** What the owner's notice says. */
export interface NoticeParts {
  business: string;
  /** Who the action concerns: "Jane Doe (+14165550170)", or the number, or an MCP server. */
  who: string;
  /** What happened, e.g. "missed call 2:05 p.m." or "proposed by token:zapier"; null when unknown. */
  context: string | null;
  /** Label of the content: "Proposed text" or "Run crm.create_note". */
  label: string;
  /** The text to approve (truncated to fit). */
  text: string;
  /** Whether the owner can change the text by answering with their own. */
  editable: boolean;
  /** Shown when other approvals are pending, so the owner can say which one they answer. */
  code: string | null;
  /** False when inbound SMS are not signed (no Twilio auth token): SMS answers are not accepted. */
  smsReplies: boolean;
  /** The link as stored: `<public URL>/a/[link]`; the token is put in only at send time. */
  link: string;
}

/**
 * The SMS that asks the owner to decide: who, what happened, the text, how to answer by SMS
 * (`YES`, `NO <reason>`, an edited text; with the code when several wait), and the link as an
 * alternative. At most {@link NOTICE_MAX_CHARS} characters once the link is filled in: the text
 * preview is shortened (the link page shows it whole). Pure: the same parts give the same notice.
 */
export function approvalNotice(p: NoticeParts): string {
  const c = p.code;
  const how = !p.smsReplies
    ? 'SMS replies are off (no Twilio auth token), so decide at'
    : p.editable
      ? c ? `Reply YES ${c}, NO ${c} <reason>, or ${c} <your edited text>. Or open` : 'Reply YES, NO <reason>, or your edited text. Or open'
      : c ? `Reply YES ${c} or NO ${c} <reason>. Or open` : 'Reply YES or NO <reason>. Or open';
  const head = `${p.business}${c ? ` [${c}]` : ''}: ${p.who}${p.context ? `, ${p.context}` : ''}. ${p.label}: "`;
  const tail = `" ${how} ${p.link}`;
  const linkGrowth = p.link.includes(LINK_PLACEHOLDER) ? LINK_TOKEN_LENGTH - LINK_PLACEHOLDER.length : 0;
  const room = Math.max(40, NOTICE_MAX_CHARS - head.length - tail.length - linkGrowth);
  const text = p.text.length > room ? `${p.text.slice(0, room - 3).trimEnd()}...` : p.text;
  return `${head}${text}${tail}`;
}
