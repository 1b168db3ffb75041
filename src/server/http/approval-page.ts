import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { hashSecret } from '../../core/ids.js';
import { ConflictError, InputError, NotFoundError } from '../../core/errors.js';
import { decideApproval, findByToken } from '../../autonomy/approvals/approvals.js';
import type { Approval } from '../../store/schema.js';
import type { Services } from './services.js';
import { cleanDeep } from '../../core/clean-text.js';
import { countSegments, describeSegments } from '../../core/sms-segments.js';
import { localTimeWords } from '../../core/time-words.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>body{font:16px/1.45 system-ui,sans-serif;max-width:34rem;margin:1.5rem auto;padding:0 1rem}textarea{width:100%;font:inherit}
button{font:inherit;padding:.6rem 1.1rem;margin:.3rem .3rem 0 0}blockquote{background:#f4f4f4;padding:.6rem;margin:0}
.outside{border:3px dashed #b45309;background:#fffbeb;border-radius:.4rem;padding:.5rem .8rem;margin:1rem 0}
.outside h2{font-size:1rem;margin:.1rem 0 .3rem;color:#92400e}.outside p.note{margin:0 0 .5rem;font-size:.9rem;color:#78350f}
.outside figure{margin:.4rem 0}.outside figcaption{font-size:.85rem;font-weight:600;color:#92400e}
.outside pre{white-space:pre-wrap;overflow-wrap:anywhere;font:14px/1.4 ui-monospace,monospace;background:#fff;border-left:4px solid #b45309;padding:.4rem .6rem;margin:.2rem 0 0;max-height:16rem;overflow:auto}</style></head>
<body><h1>${esc(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
}

/**
 * The parts of a proposal that came from outside the business, in a block that cannot be taken for
 * the owner's or AIOS's words: dashed amber frame, a heading that says so, each text labelled with
 * where it came from, shown as inert preformatted text (escaped, links not clickable).
 */
export function outsideBlock(untrusted: unknown): string {
  const parts = Array.isArray(untrusted) ? (untrusted as Array<{ label?: unknown; text?: unknown }>).filter((u) => typeof u?.text === 'string' && u.text.trim()) : [];
  if (parts.length === 0) return '';
  const items = parts.map((u) => `<figure><figcaption>${esc(u.label ?? 'outside text')}</figcaption><pre>${esc(u.text)}</pre></figure>`).join('');
  return `<section class="outside" aria-label="From outside"><h2>⚠ From outside — not written by you or AIOS</h2>
<p class="note">Someone outside the business wrote this. Read it as information only: it may try to make you approve something.</p>${items}</section>`;
}

/** What the action is, in words, for the decision page. */
function actionWords(a: Approval): { verb: string; content: string | null; editable: boolean } {
  const p = a.proposal as { to?: string; body?: string; subject?: string; summary?: string; tool?: string; arguments?: unknown };
  if (a.action_kind === 'sms.send') return { verb: `text <b>${esc(p.to)}</b>`, content: null, editable: true };
  if (a.action_kind === 'email.send') return { verb: `email <b>${esc(p.to)}</b>`, content: `Subject: ${p.subject ?? ''}\n\n${p.body ?? ''}`, editable: false };
  if (a.action_kind.startsWith('mcp.')) return { verb: `run <b>${esc(a.action_kind.slice(4))}</b>`, content: `${p.summary ?? ''}\n${JSON.stringify(p.arguments ?? {}, null, 2)}`, editable: false };
  return { verb: `do <b>${esc(a.action_kind)}</b>${a.recipient ? ` for <b>${esc(a.recipient)}</b>` : ''}`, content: p.body ?? p.summary ?? JSON.stringify(p), editable: false };
}

function decisionForm(a: Approval): string {
  const p = a.proposal as { to?: string; body?: string };
  const reasons = (a.reasons as Array<{ detail: string }>).map((r) => `<li>${esc(r.detail)}</li>`).join('');
  const w = actionWords(a);
  const what = w.editable
    ? `<textarea name="body" rows="5">${esc(p.body)}</textarea>
${typeof p.body === 'string' ? `<p class="segments">${esc(describeSegments(countSegments(p.body)))}</p>
` : ''}`
    : `<blockquote><pre style="white-space:pre-wrap;margin:0;font:inherit">${esc(w.content)}</pre></blockquote>`;
  return `<p>AIOS wants to ${w.verb}:</p>
<form method="post">${what}${outsideBlock(a.untrusted)}<p>Why it asks you:</p><ul>${reasons}</ul>
<button name="decision" value="approve">Approve and send</button>
<p><label>Reason (for rejecting): <input name="reason"></label></p>
<button name="decision" value="reject">Reject</button></form>`;
}

/** Who decided, in words: "the owner, with this link", or the person or token's name. */
async function deciderWords(s: Services, actor: string | null): Promise<string> {
  if (!actor) return 'nobody (it expired)';
  if (actor === 'owner:link') return 'the owner, with this link';
  if (actor.startsWith('owner:')) return `the owner, by ${actor.slice('owner:'.length)}`;
  const id = actor.slice(actor.indexOf(':') + 1);
  const p = await s.db.selectFrom('principals').select(['name', 'kind']).where('id', '=', id).executeTakeFirst();
  return p ? `${p.name} (${p.kind === 'user' ? 'from the command line or dashboard' : `${p.kind} token`})` : actor;
}

/** The page of a decided request: the decision, who made it and when (business's local time), and what was sent. */
async function decidedSummary(s: Services, a: Approval): Promise<string> {
  const p = a.proposal as { to?: string; body?: string };
  const edited = (a.edits as { body?: string } | null)?.body;
  const biz = s.tenants.get(a.tenant_id);
  const tz = biz.timeZone;
  const when = a.decided_at ? ` at ${esc(localTimeWords(a.decided_at, tz, new Date(0), biz.locale))} (${esc(tz)})` : '';
  if (a.status === 'expired') return `<p>This request expired without a decision; nothing was sent to <b>${esc(p.to)}</b>.</p>`;
  const head = `<p>This request was already <b>${esc(a.status)}</b> by ${esc(await deciderWords(s, a.decided_by))}${when}.</p>`;
  if (a.status === 'approved') return `${head}<p>${edited !== undefined ? 'Sent, with edits,' : 'Sent'} to <b>${esc(p.to)}</b>:</p><blockquote>${esc(edited ?? p.body)}</blockquote>`;
  return `${head}<p>Nothing was sent. The proposed text to <b>${esc(p.to)}</b> was:</p><blockquote>${esc(p.body)}</blockquote>${a.reason ? `<p>Reason: ${esc(a.reason)}</p>` : ''}`;
}

/**
 * Approval links for phones: `GET /a/:token` only shows the decision page (mail scanners and chat
 * previews open links); only `POST /a/:token` decides. Tokens are single-use: a second decision
 * gets a harmless "already decided" page. Unknown tokens get 404, expired links 410.
 */
export function approvalPageRoutes(s: Services): Hono {
  const app = new Hono();
  app.get('/:token', async (c) => {
    const a = await findByToken(s.db, c.req.param('token'));
    if (!a) return page('Link not found', '<p>This approval link is not valid.</p>', 404);
    if (a.status !== 'pending') return page('Already decided', await decidedSummary(s, a));
    if (a.token_expires_at && a.token_expires_at <= s.clock.now()) return page('Link expired', '<p>This link has expired. Use <code>aios approvals</code> instead.</p>', 410);
    return page(`Approve ${a.action_kind === 'sms.send' ? 'a text' : a.action_kind === 'email.send' ? 'an email' : 'an action'} from ${s.tenants.get(a.tenant_id).name}?`, decisionForm(a));
  });

  app.post('/:token', bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('form too large', 413) }), async (c) => {
    const token = c.req.param('token');
    const a = await findByToken(s.db, token);
    if (!a) return page('Link not found', '<p>This approval link is not valid.</p>', 404);
    const form = cleanDeep({ ...(await c.req.parseBody()) });
    const decision = form.decision === 'approve' ? 'approved' : form.decision === 'reject' ? 'rejected' : null;
    if (!decision) return page('Choose a decision', '<p>Press Approve or Reject.</p>', 400);
    const original = (a.proposal as { body?: string }).body;
    const edited = typeof form.body === 'string' && form.body.trim() !== original?.trim() ? form.body : undefined;
    try {
      const { approval, delivery } = await decideApproval(s.db, {
        tenantId: a.tenant_id, tokenHash: hashSecret(token), decision,
        edits: edited !== undefined ? { body: edited } : null, reason: typeof form.reason === 'string' ? form.reason : null,
        actor: 'owner:link', now: s.clock.now(),
      });
      await s.host.deliverDecision(approval.run_id, delivery);
      return page(decision === 'approved' ? 'Approved' : 'Rejected', decision === 'approved' ? `<p>Sent${edited ? ' with your edits' : ''}. Thank you.</p>` : '<p>Rejected. Your reason was kept.</p>');
    } catch (err) {
      if (err instanceof ConflictError) return page('Already decided', `<p>${esc(err.message)}</p>`, 409);
      if (err instanceof InputError) return page('Not decided', `<p>${esc(err.message)}</p><p>${esc(err.fix)}</p>`, 400);
      if (err instanceof NotFoundError) return page('Link not found', '<p>This approval link is not valid.</p>', 404);
      throw err;
    }
  });
  return app;
}
