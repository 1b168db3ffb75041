/**
 * The receptionist's side effects for one call, on the real stores: grounded answers from
 * customer-facing knowledge, slots, holds (the booking contract), phone numbers.
 */
import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import { answerQuestion } from '../../knowledge/answer.js';
import { checkGroundedness } from '../../knowledge/groundedness.js';
import { recordGap } from '../../knowledge/gaps.js';
import { upsertContactByPhone } from '../../records/contacts.js';
import { isWithheldCaller } from '../../connection/twilio/webhook-forms.js';
import { countryOfLocale, countryOfPhone, normalisePhone } from '../../core/phone.js';
import { holdSlot, offerSlots, readSlotReply, releaseHold } from '../booking/booking-api.js';
import type { DialoguePorts } from './dialogue.js';
import type { Lang } from './prompts.js';

/** Knowledge a caller may hear: files without `audience:` or with `audience: customers`. */
export const CUSTOMER_AUDIENCE = 'customers';

/** The speech language of a tenant's calls: `voice.language`, else its locale. */
export function callLanguage(tenant: TenantInfo): Lang {
  return (tenant.voice.language ?? tenant.locale).toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** Who calls are transferred to: `voice.transfer_to`, else the owner's phone, else nobody. */
export function transferTarget(tenant: TenantInfo): string | null {
  return tenant.voice.transfer_to ?? tenant.owner.phone ?? null;
}

/** The ports of one call with `callerId` (E.164, or a withheld marker), at `now()`. */
export function callPorts(db: Db, tenant: TenantInfo, call: { callSid: string; from: string }, now: () => Date): DialoguePorts {
  const callerId = isWithheldCaller(call.from) ? '' : call.from;
  const country = countryOfPhone(tenant.phone) ?? countryOfLocale(tenant.locale);
  return {
    business: tenant.name,
    owner: tenant.owner.name,
    callerId,
    transferTo: transferTarget(tenant),
    async answer(question, lang) {
      const a = await answerQuestion(db, tenant.id, question, { audience: CUSTOMER_AUDIENCE, language: lang, now: now() });
      if (a.status !== 'answered') return { status: 'unknown', text: a.text, gapId: a.gapId };
      // A price or a promise said on the phone commits the business: it must be backed by the knowledge.
      const g = await checkGroundedness(db, tenant.id, a.text, { now: now() });
      if (!g.grounded) return { status: 'unknown', text: a.text, gapId: (await recordGap(db, tenant.id, question, lang)).gap.id };
      return { status: 'answered', text: a.text, gapId: null };
    },
    offer: (req) => offerSlots(db, tenant, { now: now(), exclude: req.exclude, ...(req.from ? { from: new Date(req.from) } : {}), ...(req.to ? { to: new Date(req.to) } : {}) }),
    readReply: (text, offer) => readSlotReply(text, offer, { locale: tenant.locale }),
    async hold(state, start, end) {
      const address = state.callback ?? callerId;
      const { contact } = await upsertContactByPhone(db, tenant.id, address, { name: state.name ?? null, source: 'voice' });
      return holdSlot(db, tenant, { contactId: contact.id, start, ...(end ? { end } : {}), channel: 'voice', address, key: `${call.callSid}:hold:${start}`, now: now() });
    },
    release: (holdId) => releaseHold(db, tenant.id, holdId),
    phone: (raw) => normalisePhone(raw, country),
  };
}
