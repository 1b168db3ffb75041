import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { RunContext } from '../engine/run-context.js';
import { enqueueOutbox, deliverOutbox } from '../../connection/outbox/outbox.js';
import { audit } from '../../records/audit.js';
import { quotableName } from '../../records/contact-names.js';
import { NOTICE_MAX_CHARS } from '../actions/approval-notice.js';
import { quoteForOwner } from './owner-quote.js';

/** Conversation states (`conversations.state`). */
export const WAITING_FOR_OWNER = 'waiting_for_owner';

/** Shape of a handoff code: `R` and three digits 2–9 (never the letter-digit-letter of an approval code). */
const HANDOFF_CODE = /^R[2-9]{3}$/;

/** True when `word` (any case) has the shape of a handoff code. */
export function isHandoffCode(word: string): boolean {
  return HANDOFF_CODE.test(word.toUpperCase());
}

function newHandoffCode(): string {
  return `R${randomInt(2, 10)}${randomInt(2, 10)}${randomInt(2, 10)}`;
}

/** What the owner is told about a conversation handed to them. */
export interface Handoff {
  conversationId: string;
  /** The customer's address (E.164 for SMS). */
  address: string;
  contactId: string;
  /** The customer's words (quoted safely in the notice). */
  text: string;
  /** Why AIOS hands it over, e.g. "emergency", "complaint", "no answer in the knowledge". */
  reason: string;
  /** An emergency's notice starts with EMERGENCY and asks the owner to call. */
  emergency?: boolean;
}

/** The outcome of {@link handToOwner}. */
export interface HandoffResult {
  code: string;
  /** False when the business has no `owner.phone` (the conversation still waits for the owner in AIOS). */
  notified: boolean;
  notice: string | null;
}

/**
 * Hands a conversation to the owner: marks it `waiting_for_owner` (keeping the time and code of an
 * earlier handoff still waiting), and texts `owner.phone` a notice at once (no quiet hours: the
 * owner decides when to look) with who, why, the customer's words quoted safely, and how to answer:
 * `R### <your answer>` by SMS, or `POST /api/v1/conversations/<id>/reply`. Steps: `<id>.handoff`
 * (state, code, notice queued in the outbox, audit) and `<id>.notify-owner` (delivery).
 */
export async function handToOwner(ctx: RunContext, id: string, h: Handoff): Promise<HandoffResult> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const key = `${ctx.runId}:${id}.notify-owner`;
  const done = await ctx.step(`${id}.handoff`, () =>
    db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${tenant.id} || ':handoff'))`.execute(tx);
      const cv = await tx.selectFrom('conversations').select(['handoff_code', 'state']).where('id', '=', h.conversationId).where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow();
      let code = cv.state === WAITING_FOR_OWNER ? cv.handoff_code : null;
      for (let i = 0; !code && i < 50; i++) {
        const c = newHandoffCode();
        const taken = await tx.selectFrom('conversations').select('id').where('tenant_id', '=', tenant.id).where('handoff_code', '=', c).executeTakeFirst();
        if (!taken) code = c;
      }
      if (!code) throw new Error('no free handoff code: more than 500 conversations wait for the owner');
      const now = clock.now();
      await tx.updateTable('conversations')
        .set({ state: WAITING_FOR_OWNER, handoff_code: code, waiting_since: sql`coalesce(waiting_since, ${now}::timestamptz)` })
        .where('id', '=', h.conversationId).execute();
      const contact = await tx.selectFrom('contacts').select(['name', 'name_source', 'name_verified']).where('id', '=', h.contactId).executeTakeFirst();
      const name = quotableName(contact ?? null);
      const who = name ? `${name} (${h.address})` : h.address;
      let notice: string | null = null;
      if (tenant.owner.phone) {
        const head = h.emergency
          ? `${tenant.name}: EMERGENCY from ${who}, call them now. They wrote: "`
          : `${tenant.name}: ${who} needs you (${h.reason}). They wrote: "`;
        const tail = `" Reply ${code} <your answer> to text them back.`;
        notice = `${head}${quoteForOwner(h.text, NOTICE_MAX_CHARS - head.length - tail.length)}${tail}`;
        await enqueueOutbox(tx, {
          tenantId: tenant.id, runId: ctx.runId, stepId: `${id}.notify-owner`, idempotencyKey: key,
          kind: 'owner.notify', channel: 'sms', recipient: tenant.owner.phone,
          payload: { from: tenant.phone, body: notice, conversationId: h.conversationId },
        });
      }
      await audit(tx, tenant.id, 'aios', 'conversation.handoff', h.conversationId, { reason: h.reason, code, emergency: h.emergency === true, notified: notice !== null });
      return { code, notice };
    }),
  );
  if (done.notice) {
    await ctx.step(`${id}.notify-owner`, async () => {
      const row = await db.selectFrom('outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
      return row ? (await deliverOutbox(db, ctx.deps.channels, row, () => clock.now())).status : 'none';
    }, { attempts: 5 });
  }
  return { code: done.code, notified: done.notice !== null, notice: done.notice };
}

/** Marks a conversation as handled again (the owner answered). */
export async function clearWaitingForOwner(db: import('../../store/db.js').Db, tenantId: string, conversationId: string): Promise<void> {
  await db.updateTable('conversations').set({ state: 'open', waiting_since: null, handoff_code: null }).where('tenant_id', '=', tenantId).where('id', '=', conversationId).execute();
}
