import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { ChannelSet } from '../../connection/channels/channel.js';
import { enqueueOutboxRow, deliverOutbox } from '../../connection/outbox/outbox.js';
import { isRetryable } from '../../core/errors.js';
import { briefSettings } from './brief-time.js';
import { renderBriefEmail } from './brief-email.js';
import { weeklyChart } from './weekly-report.js';
import { settleBrief, type BriefRow } from './brief-store.js';
import type { BriefContent } from './brief-content.js';

/** What mailing a brief needs. */
export interface BriefMailDeps {
  db: Db;
  channels: ChannelSet;
  now: () => Date;
  /** The dashboard's base URL, for the links. */
  dashboardUrl: () => string;
}

/** How mailing one brief ended. */
export type BriefMailResult = { status: 'sent'; outboxId: string; to: string } | { status: 'not_sent'; reason: string } | { status: 'retry'; error: string };

/** Why a business's brief cannot be mailed, or its recipient. */
export function briefRecipient(tenant: Pick<TenantInfo, 'brief' | 'owner'>, channels: ChannelSet): { to: string } | { reason: string } {
  const s = briefSettings(tenant);
  if (!s.email) return { reason: 'email is off (brief.email: false in tenant.yaml)' };
  const to = s.to ?? tenant.owner.email;
  if (!to) return { reason: 'no address: set brief.to or owner.email in tenant.yaml' };
  if (!channels.email) return { reason: 'no outgoing mail server: set AIOS_SMTP_URL (and AIOS_SMTP_FROM) and restart' };
  return { to };
}

/**
 * Mails a brief whose sender lease the caller holds, through the outbox as an owner notice
 * (`owner.notify`: the owner's own configured address, like the owner's approval texts; no
 * customer is written to, so no policy rule applies). The outbox key is the brief's id, so a
 * retried send reuses the same row. The weekly report carries its chart as an inline PNG
 * (`cid:`). Settles the row: sent, or why not; a transient mail failure leaves it for the next
 * pass once the lease runs out.
 */
export async function mailBrief(d: BriefMailDeps, tenant: TenantInfo, row: BriefRow): Promise<BriefMailResult> {
  const who = briefRecipient(tenant, d.channels);
  if ('reason' in who) {
    await settleBrief(d.db, row.id, { notSentReason: who.reason });
    return { status: 'not_sent', reason: who.reason };
  }
  const content = row.content as BriefContent;
  const chart = content.kind === 'weekly' ? weeklyChart(content) : null;
  const cid = `chart-${row.id}@aios`;
  const mail = renderBriefEmail(content, { dashboardUrl: d.dashboardUrl(), ...(chart ? { chartCid: cid, chartAlt: chart.alt } : {}) });
  const outbox = await enqueueOutboxRow(d.db, {
    tenantId: tenant.id, runId: null, stepId: null, idempotencyKey: `brief:${row.id}`, kind: 'owner.notify', channel: 'email', recipient: who.to,
    payload: { from: '', body: mail.text, subject: mail.subject, html: mail.html, ...(chart ? { attachments: [{ filename: 'hours-saved.png', contentType: 'image/png', contentBase64: chart.png.toString('base64'), cid }] } : {}) },
    createdAt: d.now(),
  });
  try {
    const r = await deliverOutbox(d.db, d.channels, outbox, d.now);
    if (r.status === 'sent') {
      await settleBrief(d.db, row.id, { sentAt: r.sentAt ? new Date(r.sentAt) : d.now(), outboxId: outbox.id, emailTo: who.to });
      return { status: 'sent', outboxId: outbox.id, to: who.to };
    }
    const reason = `the mail server refused it: ${r.error ?? r.status}`;
    await settleBrief(d.db, row.id, { outboxId: outbox.id, emailTo: who.to, notSentReason: reason });
    return { status: 'not_sent', reason };
  } catch (err) {
    if (!isRetryable(err)) throw err;
    return { status: 'retry', error: err instanceof Error ? err.message : String(err) };
  }
}
