import { describe, it, expect } from 'vitest';
import { approvalNotice, NOTICE_MAX_CHARS, type NoticeParts } from './approval-notice.js';
import { ApprovalLinks } from '../approvals/approval-links.js';

const links = new ApprovalLinks(Buffer.alloc(32, 7), () => 'https://aios.example.com');
const base: NoticeParts = {
  business: 'Maple Plumbing & Heating', who: 'Jane Doe (+14165550170)', context: 'missed call 2:05 p.m.', label: 'Proposed text',
  text: 'Hi Jane, sorry we missed your call!', editable: true, code: null, smsReplies: true, link: links.redactedUrl(),
};

describe('approvalNotice', () => {
  it('says who, what happened, the text and how to answer, with the link as a placeholder', () => {
    const n = approvalNotice(base);
    expect(n).toBe('Maple Plumbing & Heating: Jane Doe (+14165550170), missed call 2:05 p.m.. Proposed text: "Hi Jane, sorry we missed your call!" Reply YES, NO <reason>, or your edited text. Or open https://aios.example.com/a/[link]');
    expect(approvalNotice({ ...base, code: 'K7Q' })).toContain('[K7Q]: Jane Doe');
    expect(approvalNotice({ ...base, code: 'K7Q' })).toContain('Reply YES K7Q, NO K7Q <reason>, or K7Q <your edited text>.');
    expect(approvalNotice({ ...base, editable: false })).toContain('Reply YES or NO <reason>.');
    expect(approvalNotice({ ...base, smsReplies: false })).not.toContain('Reply YES');
  });

  it('stays within three SMS segments once the link is filled in, shortening only the text', () => {
    const long = { ...base, code: 'K7Q', text: 'word '.repeat(200).trim() };
    const rendered = links.render(approvalNotice(long), 'ap_1', 'nonce').body;
    expect(rendered.length).toBeLessThanOrEqual(NOTICE_MAX_CHARS);
    expect(rendered).toContain('..." Reply YES K7Q');
    expect(rendered).toMatch(/\/a\/[A-Za-z0-9_-]{43}$/);
  });
});

describe('ApprovalLinks', () => {
  it('derives the same token from the same approval and nonce, and a different one otherwise', () => {
    const t = links.token('ap_1', 'n1');
    expect(links.token('ap_1', 'n1')).toBe(t);
    expect(links.token('ap_1', 'n2')).not.toBe(t);
    expect(links.token('ap_2', 'n1')).not.toBe(t);
    expect(new ApprovalLinks(Buffer.alloc(32, 8), () => '').token('ap_1', 'n1')).not.toBe(t);
    expect(links.render(`x ${links.redactedUrl()}`, 'ap_1', 'n1')).toEqual({ body: `x https://aios.example.com/a/${t}`, secret: t });
  });
});
