import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { OutboxRow } from '../../store/schema.js';
import { newId } from '../../core/ids.js';
import { crashPoint } from '../../core/crash-point.js';
import { AiosError, isRetryable } from '../../core/errors.js';
import type { ChannelSet, OutboundMessage } from '../channels/channel.js';
import { appendMessage } from '../../records/conversations.js';
import { countSegments } from '../../core/sms-segments.js';
import { isShadowChannelSet } from '../channels/shadow-channels.js';

/** An external effect to perform once. `idempotencyKey` is `runId:stepId` for playbook actions. */
export interface OutboxItem {
  tenantId: string;
  runId: string | null;
  stepId: string | null;
  idempotencyKey: string;
  /** Action kind, e.g. `sms.send` or `owner.notify`. */
  kind: string;
  channel: keyof ChannelSet;
  recipient: string;
  payload: { from: string; body: string } & Record<string, unknown>;
  /**
   * When it was proposed, by the business's clock (default: the database's now). Pass the injected
   * clock's time wherever facts compare it with other times of that clock (the daily limit).
   */
  createdAt?: Date;
}

/** The final state of a delivery attempt, as the playbook sees it. */
export interface DeliveryResult {
  outboxId: string;
  status: 'sent' | 'failed' | 'cancelled';
  providerRef: string | null;
  sentAt: string | null;
  error: string | null;
}

/**
 * Records an effect in the outbox (status `pending`). Idempotent: the same key returns the same
 * row, so a step re-run after a crash never creates a second effect.
 */
export async function enqueueOutbox(db: Db, item: OutboxItem): Promise<string> {
  return (await enqueueOutboxRow(db, item)).id;
}

/** Like {@link enqueueOutbox}, returning the whole row (saves a read before delivery). */
export async function enqueueOutboxRow(db: Db, item: OutboxItem): Promise<OutboxRow> {
  const inserted = await db
    .insertInto('outbox')
    .values({
      id: newId('ob'),
      tenant_id: item.tenantId,
      run_id: item.runId,
      step_id: item.stepId,
      idempotency_key: item.idempotencyKey,
      kind: item.kind,
      channel: item.channel,
      recipient: item.recipient,
      payload: JSON.stringify(item.payload),
      status: 'pending',
      ...(item.createdAt ? { created_at: item.createdAt } : {}),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return inserted;
  const existing = await db.selectFrom('outbox').selectAll().where('idempotency_key', '=', item.idempotencyKey).executeTakeFirstOrThrow();
  if (existing.tenant_id !== item.tenantId) throw new AiosError('idempotency_collision', `outbox key ${item.idempotencyKey} belongs to another tenant`, { fix: 'Idempotency keys must be unique per business: prefix them with the tenant id.' });
  return existing;
}

function result(row: Pick<OutboxRow, 'id' | 'status' | 'provider_ref' | 'sent_at' | 'last_error'>): DeliveryResult {
  const status = row.status === 'sent' ? 'sent' : row.status === 'cancelled' ? 'cancelled' : 'failed';
  return { outboxId: row.id, status, providerRef: row.provider_ref, sentAt: row.sent_at ? row.sent_at.toISOString() : null, error: row.last_error };
}

/**
 * Performs the effect of one outbox row, at most once:
 * - `sent` / `cancelled` rows return their result unchanged (a replayed step is harmless);
 * - a row left in `sending` by a crash is first reconciled with the provider (`findSent`), and only
 *   sent again when the provider has no record of it;
 * - an SMS to a recipient who opted out (STOP) after the action was approved is cancelled;
 * - a sent SMS records its billed segments (`outbox.segments`, `countSegments`).
 * - a row of a shadow run (`runs.mode = 'shadow'`) never reaches any channel: with the shadow
 *   channel set it is recorded as delivered (`provider_ref` `shadow:…`) so the run goes on as if
 *   it had been sent; with any other channels it is refused (`shadow_delivery_refused`).
 * Transient errors are thrown for the caller's retry; permanent ones mark the row `failed`.
 */
export async function deliverOutbox(db: Db, channels: ChannelSet, outbox: string | OutboxRow, now: () => Date): Promise<DeliveryResult> {
  const row = typeof outbox === 'string' ? await db.selectFrom('outbox').selectAll().where('id', '=', outbox).executeTakeFirstOrThrow() : outbox;
  if (row.status === 'sent' || row.status === 'cancelled' || row.status === 'failed') return result(row);
  const channel = channels[row.channel as keyof ChannelSet];
  if (!channel) {
    const shadow = await shadowDeliveryIfShadow(db, channels, row, now);
    if (shadow) return shadow;
    throw new AiosError('unknown_channel', `outbox ${row.id}: no channel "${row.channel}"`, { fix: 'Configure that channel (e.g. Twilio credentials) and restart; the message stays queued.' });
  }
  const payload = row.payload as OutboxItem['payload'];
  const msg: OutboundMessage = { outboxId: row.id, tenantId: row.tenant_id, to: row.recipient, from: payload.from, body: payload.body, payload };

  let receipt = null;
  // Only a live run's row is ever claimed (below), so a row left `sending` is never a shadow run's.
  if (row.status === 'sending' && row.sending_at) {
    receipt = await channel.findSent(msg, row.sending_at);
  }
  if (!receipt) {
    // One statement: claim the row for sending unless it belongs to a shadow run, and say whether
    // the recipient opted out (STOP) meanwhile.
    const claimed = await sql<{ opted_out: boolean }>`
      update outbox set status = 'sending', attempts = attempts + 1, sending_at = coalesce(sending_at, now())
      where id = ${row.id} and not exists (select 1 from runs r where r.id = outbox.run_id and r.mode = 'shadow')
      returning (${row.kind} = 'sms.send' and exists (select 1 from contacts c where c.tenant_id = outbox.tenant_id and c.phone = outbox.recipient and c.opted_out_at is not null)) as opted_out
    `.execute(db);
    if (claimed.rows.length === 0) {
      const shadow = await shadowDeliveryIfShadow(db, channels, row, now);
      if (shadow) return shadow;
      throw new AiosError('outbox_row_missing', `outbox ${row.id} could not be claimed for sending: the row is gone`, { fix: 'Nothing was sent. Look for who deleted it (the audit log); the run can be retried.' });
    }
    if (claimed.rows[0]!.opted_out) {
      const done = await db
        .updateTable('outbox')
        .set({ status: 'cancelled', last_error: 'recipient opted out (STOP) before sending' })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return result(done);
    }
    crashPoint('outbox.before-send');
    try {
      receipt = await channel.send(msg);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (isRetryable(err)) {
        await db.updateTable('outbox').set({ last_error: text }).where('id', '=', row.id).execute();
        throw err;
      }
      const failed = await db.updateTable('outbox').set({ status: 'failed', last_error: text }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
      return result(failed);
    }
    crashPoint('outbox.after-send');
  }
  const sentAt = now();
  const done = await db
    .updateTable('outbox')
    .set({
      status: 'sent', provider_ref: receipt.providerRef, provider_response: JSON.stringify(receipt.response ?? null), sent_at: sentAt, last_error: null,
      // What the text is billed as (SMS only): counted on the text the provider got.
      segments: row.channel === 'sms' ? (receipt.segments ?? countSegments(payload.body).segments) : null,
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (row.channel === 'sms') {
    await appendMessage(db, { tenantId: row.tenant_id, channel: 'sms', address: row.recipient, direction: 'outbound', body: payload.body, externalId: receipt.providerRef, runId: row.run_id, at: sentAt });
  }
  crashPoint('outbox.after-mark-sent');
  return result(done);
}

/** The shadow delivery of `row` when its run is a shadow run (`runs.mode = 'shadow'`: its effects never leave the machine), else null. */
async function shadowDeliveryIfShadow(db: Db, channels: ChannelSet, row: OutboxRow, now: () => Date): Promise<DeliveryResult | null> {
  if (!row.run_id) return null;
  const r = await db.selectFrom('runs').select('mode').where('id', '=', row.run_id).executeTakeFirst();
  return r?.mode === 'shadow' ? shadowDelivery(db, channels, row, now) : null;
}

/** The delivery of a shadow run's row: recorded as "would send", never handed to a channel. */
async function shadowDelivery(db: Db, channels: ChannelSet, row: OutboxRow, now: () => Date): Promise<DeliveryResult> {
  if (!isShadowChannelSet(channels)) {
    await db.updateTable('outbox').set({ status: 'cancelled', last_error: 'shadow run: delivery refused (no external effect allowed)' }).where('id', '=', row.id).execute();
    throw new AiosError('shadow_delivery_refused', `outbox ${row.id} belongs to shadow run ${row.run_id}: nothing is sent for a shadow run`, {
      fix: 'Shadow runs only record what they would send (runShadow); use the live run to send.',
    });
  }
  const payload = row.payload as OutboxItem['payload'];
  const sentAt = now();
  const done = await db
    .updateTable('outbox')
    .set({ status: 'sent', attempts: row.attempts + 1, provider_ref: `shadow:${row.id}`, provider_response: JSON.stringify({ shadow: true }), sent_at: sentAt, last_error: null, segments: row.channel === 'sms' ? countSegments(payload.body).segments : null })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  // The conversation sees it as sent, so the rest of the shadow run behaves as the live one would.
  if (row.channel === 'sms') {
    await appendMessage(db, { tenantId: row.tenant_id, channel: 'sms', address: row.recipient, direction: 'outbound', body: payload.body, externalId: done.provider_ref, runId: row.run_id, at: sentAt });
  }
  return result(done);
}
