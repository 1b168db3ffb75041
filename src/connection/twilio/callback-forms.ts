/**
 * Twilio's other callbacks: outbound message status (delivery receipts), voicemail recordings and
 * their transcriptions. Field names exactly as Twilio posts them.
 */
import { z } from 'zod';
import { check, toRecord, sid, type FormInput } from './webhook-forms.js';

export const MESSAGE_STATUSES = ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled', 'receiving', 'received'] as const;

const messageStatusSchema = z.object({
  MessageSid: sid(['SM', 'MM']),
  AccountSid: sid(['AC']),
  MessageStatus: z.enum(MESSAGE_STATUSES, { error: `must be one of ${MESSAGE_STATUSES.join(', ')}` }),
  ErrorCode: z.string().max(16).optional(),
});

/** A delivery receipt for a message AIOS sent. */
export interface MessageStatus {
  messageSid: string;
  /** The Twilio account that sent the message. */
  accountSid: string;
  status: (typeof MESSAGE_STATUSES)[number];
  errorCode: string | null;
}

/** Parses a message status callback. @throws InputError naming the field. */
export function parseMessageStatus(params: FormInput): MessageStatus {
  const v = check('message status callback', messageStatusSchema, toRecord(params));
  return { messageSid: v.MessageSid, accountSid: v.AccountSid, status: v.MessageStatus, errorCode: v.ErrorCode ?? null };
}

const url = z.string().url().refine((u) => /^https?:/.test(u), 'must be an http(s) URL');

const recordingSchema = z.object({
  AccountSid: sid(['AC']),
  CallSid: sid(['CA']),
  RecordingSid: sid(['RE']),
  RecordingUrl: url,
  RecordingDuration: z.string().regex(/^\d{1,6}$/, 'must be whole seconds').transform(Number).optional(),
  RecordingStatus: z.string().max(32).optional(),
});

/** A finished voicemail recording. */
export interface Recording {
  /** The Twilio account of the call; must be the account its status callback named. */
  accountSid: string;
  callSid: string;
  recordingSid: string;
  recordingUrl: string;
  /** Length in seconds, when Twilio sent it. */
  durationSeconds: number | null;
  status: string | null;
}

/** Parses a recording status callback. @throws InputError naming the field. */
export function parseRecording(params: FormInput): Recording {
  const v = check('recording status callback', recordingSchema, toRecord(params));
  return { accountSid: v.AccountSid, callSid: v.CallSid, recordingSid: v.RecordingSid, recordingUrl: v.RecordingUrl, durationSeconds: v.RecordingDuration ?? null, status: v.RecordingStatus ?? null };
}

const transcriptionSchema = z.object({
  AccountSid: sid(['AC']),
  CallSid: sid(['CA']),
  RecordingSid: sid(['RE']),
  TranscriptionSid: sid(['TR']),
  TranscriptionStatus: z.enum(['completed', 'failed']),
  TranscriptionText: z.string().max(20_000).optional(),
});

/** A voicemail transcription. */
export interface Transcription {
  /** The Twilio account of the call; must be the account its status callback named. */
  accountSid: string;
  callSid: string;
  recordingSid: string;
  transcriptionSid: string;
  completed: boolean;
  text: string;
}

/** Parses a transcription callback. @throws InputError naming the field. */
export function parseTranscription(params: FormInput): Transcription {
  const v = check('transcription callback', transcriptionSchema, toRecord(params));
  return { accountSid: v.AccountSid, callSid: v.CallSid, recordingSid: v.RecordingSid, transcriptionSid: v.TranscriptionSid, completed: v.TranscriptionStatus === 'completed', text: v.TranscriptionText ?? '' };
}
