import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { ChannelSet } from '../../connection/channels/channel.js';
import type { PrincipalKind } from '../../records/scopes.js';
import { enqueueOutboxRow, deliverOutbox } from '../../connection/outbox/outbox.js';
import { isRetryable, NotFoundError } from '../../core/errors.js';
import { audit } from '../../records/audit.js';
import { clientReportPdf } from './report-pdf.js';
import { renderReportEmail } from './report-email.js';
import type { ClientReportRow } from './report-store.js';
import type { ReportContent, UncheckedNumber } from './report-content.js';

/** What approving and mailing needs. */
export interface ApproveDeps {
  db: Db;
  channels: ChannelSet;
  now: () => Date;
  tenant: (id: string) => TenantInfo;
}

/** How one report of a batch ended. */
export interface ApproveResult {
  id: string;
  ok: boolean;
  /** sent | not_sent | approved (mail to be retried) | needs_confirmation | conflict | forbidden */
  status: string;
  message: string | null;
  fix: string | null;
}

/** Most reports one batch approves. */
export const APPROVE_MAX = 100;

const fail = (id: string, status: string, message: string, fix: string): ApproveResult => ({ id, ok: false, status, message, fix });

/**
 * Approves client reports in one batch and mails each to its business's owner (`owner.email` in
 * tenant.yaml) with the PDF attached, through the outbox. First every id must be a report of one
 * of `allowed` (the caller's businesses where they are owner or implementer), else NotFoundError
 * and nothing is approved. Then each on its own: only a person approves (an assistant or
 * integration token is refused; reports are made by the system, which never approves); a report
 * whose summary has unchecked numbers needs its id in `confirm`; a report already decided is a
 * conflict, except one approved whose mail failed for a while: its mail is tried again. The update is conditional on `pending`, so two approvers never both send.
 */
export async function approveReports(d: ApproveDeps, req: { ids: string[]; confirm: string[]; allowed: readonly string[]; actor: string; kind: PrincipalKind }): Promise<ApproveResult[]> {
  const ids = [...new Set(req.ids)];
  const rows = req.allowed.length ? await d.db.selectFrom('client_reports').selectAll().where('id', 'in', ids).where('tenant_id', 'in', [...req.allowed]).execute() : [];
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw new NotFoundError('client report', missing.join(', '));
  const results: ApproveResult[] = [];
  for (const id of ids) {
    const row = rows.find((r) => r.id === id)!;
    if (req.kind !== 'user') { results.push(fail(id, 'forbidden', `a ${req.kind} token cannot approve client reports`, 'A person (owner or implementer) approves them in the dashboard or with `aios report week --send`.')); continue; }
    if (row.status === 'approved') { results.push(await mailReport(d, row)); continue; } // approved, mail failed for a while: try again
    if (row.status !== 'pending') { results.push(fail(id, 'conflict', `report ${id} was already ${row.status}${row.approved_by ? ` by ${row.approved_by}` : ''}`, 'Nothing to do: the first decision stands.')); continue; }
    const unchecked = row.unchecked as UncheckedNumber[];
    if (unchecked.length && !req.confirm.includes(id)) {
      results.push(fail(id, 'needs_confirmation', `the summary has numbers that are not in the report's figures: ${unchecked.map((u) => `"${u.text}"`).join(', ')}`, `Check them against the figures, then approve with "confirm": ["${id}"] (or fix the data and make the report again).`));
      continue;
    }
    const now = d.now();
    const approved = await d.db.updateTable('client_reports').set({ status: 'approved', approved_by: req.actor, approved_at: now, unchecked_confirmed: unchecked.length > 0 })
      .where('id', '=', id).where('status', '=', 'pending').returningAll().executeTakeFirst();
    if (!approved) { results.push(fail(id, 'conflict', `report ${id} was decided by someone else a moment ago`, 'Nothing to do: the first decision stands.')); continue; }
    await audit(d.db, row.tenant_id, req.actor, 'client_report.approved', id, { week: row.week, uncheckedConfirmed: unchecked.map((u) => u.text) });
    results.push(await mailReport(d, approved));
  }
  return results;
}

/**
 * Mails an approved report (idempotent: the outbox key is the report id, so a retry reuses the
 * same row). Settles it sent, or not_sent with the reason (no owner.email, no mail server,
 * refused); a transient mail failure leaves it approved for the next try.
 */
export async function mailReport(d: ApproveDeps, row: ClientReportRow): Promise<ApproveResult> {
  const tenant = d.tenant(row.tenant_id);
  const settle = async (set: { status: 'sent' | 'not_sent'; reason?: string; outboxId?: string; to?: string; sentAt?: Date }) => {
    await d.db.updateTable('client_reports').set({ status: set.status, not_sent_reason: set.reason ?? null, outbox_id: set.outboxId ?? null, email_to: set.to ?? null, sent_at: set.sentAt ?? null }).where('id', '=', row.id).execute();
    return { id: row.id, ok: true, status: set.status, message: set.reason ?? null, fix: set.status === 'not_sent' ? 'Fix that, then send the PDF (GET /api/v1/client-reports/{id}/report.pdf) by hand; the report stays approved.' : null };
  };
  const to = tenant.owner.email;
  if (!to) return settle({ status: 'not_sent', reason: 'no address: set owner.email in the business\'s tenant.yaml' });
  if (!d.channels.email) return settle({ status: 'not_sent', reason: 'no outgoing mail server: set AIOS_SMTP_URL (and AIOS_SMTP_FROM) and restart' });
  const content = row.content as ReportContent;
  const pdf = await clientReportPdf(content, row.summary);
  const mail = renderReportEmail(content, row.summary);
  const outbox = await enqueueOutboxRow(d.db, {
    tenantId: row.tenant_id, runId: null, stepId: null, idempotencyKey: `client-report:${row.id}`, kind: 'owner.notify', channel: 'email', recipient: to,
    payload: { from: '', body: mail.text, subject: mail.subject, html: mail.html, attachments: [{ filename: `report-${content.business.slug}-${content.week}.pdf`, contentType: 'application/pdf', contentBase64: Buffer.from(pdf).toString('base64') }] },
    createdAt: d.now(),
  });
  try {
    const r = await deliverOutbox(d.db, d.channels, outbox, d.now);
    if (r.status === 'sent') return settle({ status: 'sent', outboxId: outbox.id, to, sentAt: r.sentAt ? new Date(r.sentAt) : d.now() });
    return settle({ status: 'not_sent', outboxId: outbox.id, to, reason: `the mail server refused it: ${r.error ?? r.status}` });
  } catch (err) {
    if (!isRetryable(err)) throw err;
    return { id: row.id, ok: false, status: 'approved', message: `mail not sent yet: ${err instanceof Error ? err.message : String(err)}`, fix: 'It is approved; approve it again (or run `aios report week --send`) once the mail server answers: the same outbox row is retried.' };
  }
}
