/**
 * Twilio's voice webhooks of a live call: the incoming-call request, a `<Gather>` result
 * (`SpeechResult`, `Confidence`, `Digits`), a `<Dial>` action (`DialCallStatus`) and the
 * `<Connect>` action at the end of a ConversationRelay session (`HandoffData`).
 */
import { z } from 'zod';
import { check, E164, isWithheldCaller, phone, sid, toRecord, type FormInput } from './webhook-forms.js';

const caller = z.string().max(64).refine((v) => E164.test(v) || isWithheldCaller(v), 'must be an E.164 phone number such as +14155550100, or a withheld caller (anonymous)');

const callSchema = z.object({
  CallSid: sid(['CA']),
  AccountSid: sid(['AC']),
  From: caller,
  To: phone,
  CallerName: z.string().max(256).optional(),
});

const confidence = z
  .string()
  .refine((s) => /^\d*\.?\d+(e-?\d+)?$/i.test(s) && Number(s) >= 0 && Number(s) <= 1, 'must be a number from 0 to 1')
  .transform(Number);

const gatherSchema = callSchema.extend({
  SpeechResult: z.string().max(4000).optional(),
  Confidence: confidence.optional(),
  Digits: z.string().regex(/^[0-9*#w]{0,32}$/, 'must be keypad digits (0-9, * and #)').optional(),
});

export const DIAL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;
const dialSchema = callSchema.extend({ DialCallStatus: z.enum(DIAL_STATUSES, { error: `must be one of ${DIAL_STATUSES.join(', ')}` }) });
const connectSchema = callSchema.extend({ HandoffData: z.string().max(8000).optional(), SessionStatus: z.string().max(64).optional() });

/** The fields every live-call webhook carries. */
export interface CallRequest {
  callSid: string;
  accountSid: string;
  from: string;
  to: string;
  callerName?: string;
}

/** One `<Gather>` result: what the caller said (with Twilio's 0..1 confidence) or typed. */
export interface GatherResult extends CallRequest {
  speech: string;
  confidence: number | null;
  digits: string;
}

function base(v: z.infer<typeof callSchema>): CallRequest {
  const out: CallRequest = { callSid: v.CallSid, accountSid: v.AccountSid, from: v.From, to: v.To };
  if (v.CallerName) out.callerName = v.CallerName;
  return out;
}

/** Parses the incoming-call webhook. @throws InputError naming the field */
export function parseIncomingCall(params: FormInput): CallRequest {
  return base(check('incoming call', callSchema, toRecord(params)));
}

/** Parses a `<Gather>` action. @throws InputError naming the field */
export function parseGather(params: FormInput): GatherResult {
  const v = check('gather result', gatherSchema, toRecord(params));
  return { ...base(v), speech: (v.SpeechResult ?? '').trim(), confidence: v.Confidence ?? null, digits: v.Digits ?? '' };
}

/** Parses a `<Dial>` action. @throws InputError naming the field */
export function parseDialResult(params: FormInput): CallRequest & { dialStatus: (typeof DIAL_STATUSES)[number] } {
  const v = check('dial result', dialSchema, toRecord(params));
  return { ...base(v), dialStatus: v.DialCallStatus };
}

/** Parses the `<Connect>` action that ends a ConversationRelay session. @throws InputError naming the field */
export function parseConnectEnd(params: FormInput): CallRequest & { handoffData: string | null } {
  const v = check('connect action', connectSchema, toRecord(params));
  return { ...base(v), handoffData: v.HandoffData ?? null };
}
