import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { classifyKeyword, isMissedCall, parseInboundSms, parseVoiceStatus, twiml } from './webhook-forms.js';

const AC = 'AC' + '0123456789abcdef'.repeat(2);
const CA = 'CA' + 'fedcba9876543210'.repeat(2);
const SM = 'SM' + '00112233445566778899aabbccddeeff';

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseVoiceStatus', () => {
  const base = { CallSid: CA, AccountSid: AC, From: '+14155550100', To: '+14155550199', CallStatus: 'no-answer' };

  it('parses a status callback (URLSearchParams or object)', () => {
    const form = new URLSearchParams({ ...base, CallDuration: '0', Direction: 'inbound', CallerName: 'Jane', Timestamp: 'Mon, 16 Aug 2010 03:45:01 +0000', ApiVersion: '2010-04-01' });
    const v = parseVoiceStatus(form);
    expect(v).toEqual({
      callSid: CA, accountSid: AC, from: '+14155550100', to: '+14155550199', callStatus: 'no-answer',
      callDuration: 0, direction: 'inbound', callerName: 'Jane', timestamp: new Date('2010-08-16T03:45:01Z'),
    });
    expect(parseVoiceStatus(base)).toEqual({ callSid: CA, accountSid: AC, from: '+14155550100', to: '+14155550199', callStatus: 'no-answer' });
  });
  it('accepts any CA-prefixed id of 2..64 characters', () => {
    expect(parseVoiceStatus({ ...base, CallSid: 'CA123' }).callSid).toBe('CA123');
  });
  it('names the field and the problem', () => {
    expect(inputError(() => parseVoiceStatus({ ...base, CallSid: undefined })).message).toMatch(/CallSid: is required/);
    expect(inputError(() => parseVoiceStatus({ ...base, CallSid: 'XX123' })).message).toMatch(/CallSid: must start with "CA"/);
    expect(inputError(() => parseVoiceStatus({ ...base, CallSid: 'CA' + 'a'.repeat(70) })).message).toMatch(/CallSid/);
    expect(inputError(() => parseVoiceStatus({ ...base, From: '4155550100' })).message).toMatch(/From: must be an E\.164/);
    expect(inputError(() => parseVoiceStatus({ ...base, To: '+0123456789' })).message).toMatch(/To: must be an E\.164/);
    expect(inputError(() => parseVoiceStatus({ ...base, CallStatus: 'hungup' })).message).toMatch(/CallStatus: must be one of/);
    expect(inputError(() => parseVoiceStatus({ ...base, CallDuration: '-3' })).message).toMatch(/CallDuration/);
    expect(inputError(() => parseVoiceStatus({ ...base, Timestamp: 'yesterday' })).message).toMatch(/Timestamp/);
  });
  it('reports every bad field at once, with a 400 status', () => {
    const e = inputError(() => parseVoiceStatus({ AccountSid: AC }));
    expect(e.status).toBe(400);
    for (const f of ['CallSid', 'From', 'To', 'CallStatus']) expect(e.message).toContain(`${f}:`);
  });
  it('rejects non-text fields', () => {
    expect(inputError(() => parseVoiceStatus({ ...base, CallSid: 42 })).message).toMatch(/CallSid/);
  });
  it('classifies missed calls', () => {
    for (const s of ['no-answer', 'busy', 'failed', 'canceled']) expect(isMissedCall(s)).toBe(true);
    for (const s of ['queued', 'ringing', 'in-progress', 'completed']) expect(isMissedCall(s)).toBe(false);
  });
});

describe('parseInboundSms', () => {
  const base = { MessageSid: SM, AccountSid: AC, From: '+447700900123', To: '+14155550199', Body: 'Hello' };

  it('parses a text message', () => {
    expect(parseInboundSms({ ...base, NumMedia: '0', NumSegments: '1' })).toEqual({
      messageSid: SM, accountSid: AC, from: '+447700900123', to: '+14155550199', body: 'Hello', media: [],
    });
  });
  it('accepts an empty or absent body and MM ids', () => {
    expect(parseInboundSms({ ...base, Body: '' }).body).toBe('');
    expect(parseInboundSms({ ...base, Body: undefined, MessageSid: 'MM1234' }).body).toBe('');
  });
  it('collects media', () => {
    const m = parseInboundSms({
      ...base, Body: '', NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/media/ME1', MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://api.twilio.com/media/ME2', MediaContentType1: 'video/mp4',
    });
    expect(m.media).toEqual([
      { url: 'https://api.twilio.com/media/ME1', contentType: 'image/jpeg' },
      { url: 'https://api.twilio.com/media/ME2', contentType: 'video/mp4' },
    ]);
    expect(parseInboundSms({ ...base, MediaUrl0: 'https://x.example/a', MediaContentType0: 'image/png' }).media).toHaveLength(1);
  });
  it('names bad fields', () => {
    expect(inputError(() => parseInboundSms({ ...base, MessageSid: 'CA123' })).message).toMatch(/MessageSid: must start with "SM" or "MM"/);
    expect(inputError(() => parseInboundSms({ ...base, From: 'anonymous' })).message).toMatch(/From: must be an E\.164/);
    expect(inputError(() => parseInboundSms({ ...base, AccountSid: '' })).message).toMatch(/AccountSid/);
    expect(inputError(() => parseInboundSms({ ...base, NumMedia: 'two' })).message).toMatch(/NumMedia/);
    expect(inputError(() => parseInboundSms({ ...base, NumMedia: '11' })).message).toMatch(/NumMedia: must be at most 10/);
    expect(inputError(() => parseInboundSms({ ...base, NumMedia: '1' })).message).toMatch(/MediaUrl0: is required/);
    expect(inputError(() => parseInboundSms({ ...base, NumMedia: '1', MediaUrl0: 'javascript:alert(1)' })).message).toMatch(/MediaUrl0: must be an http/);
    expect(inputError(() => parseInboundSms({ ...base, NumMedia: '1', MediaUrl0: 'https://x/a', MediaContentType0: 'jpeg' })).message).toMatch(/MediaContentType0/);
  });
});

describe('classifyKeyword', () => {
  it.each([
    ['STOP', 'stop'], [' stop ', 'stop'], ['StopAll', 'stop'], ['unsubscribe', 'stop'], ['CANCEL', 'stop'], ['end', 'stop'],
    ['quit', 'stop'], ['revoke', 'stop'], ['OPTOUT', 'stop'], ['start', 'start'], ['Yes', 'start'], ['UNSTOP\n', 'start'],
    ['help', 'help'], ['INFO', 'help'],
  ] as const)('%j → %s', (body, want) => {
    expect(classifyKeyword(body)).toBe(want);
  });
  it.each(['please stop', 'stop it', 'yes please', '', 'STOP STOP', 'helpful', 'st op'])('%j → null', (body) => {
    expect(classifyKeyword(body)).toBeNull();
  });
});

describe('twiml', () => {
  it('renders an empty response', () => {
    expect(twiml([])).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });
  it('renders messages with XML escaping', () => {
    expect(twiml(['Hi Tom & Jerry <3', `"quoted" 'single'`])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Message>Hi Tom &amp; Jerry &lt;3</Message>' +
        '<Message>&quot;quoted&quot; &apos;single&apos;</Message></Response>',
    );
  });
  it('cannot be broken out of, and drops characters XML cannot carry', () => {
    const out = twiml(['</Message><Redirect>https://evil.example</Redirect><Message>', 'a\u0000b\u0007c\nd']);
    expect(out).not.toContain('<Redirect>');
    expect(out).toContain('&lt;/Message&gt;&lt;Redirect&gt;');
    expect(out).toContain('<Message>abc\nd</Message>');
  });
});
