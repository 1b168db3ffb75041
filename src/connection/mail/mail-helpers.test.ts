import { describe, expect, it } from 'vitest';
import { mapImapError } from './imap-client.js';
import { mapSmtpError, messageIdForKey, replyReferences, replySubject } from './smtp-sender.js';

const where = { host: 'mail.example', port: 993, user: 'ann' };

describe('reply headers', () => {
  it('adds Re: once', () => {
    expect(replySubject('Quote')).toBe('Re: Quote');
    expect(replySubject('Re: Quote')).toBe('Re: Quote');
    expect(replySubject('RE : Quote')).toBe('RE : Quote');
  });
  it('appends the original Message-ID to its References without duplicates', () => {
    expect(replyReferences(['<a@x>', '<b@x>'], '<c@x>')).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    expect(replyReferences(['<a@x>'], '<a@x>')).toEqual(['<a@x>']);
  });
  it('derives the same Message-ID from the same key, on the sender domain', () => {
    const a = messageIdForKey('run-1:step-1', '"Shop" <hello@shop.example>');
    expect(a).toBe(messageIdForKey('run-1:step-1', 'hello@shop.example'));
    expect(a).toMatch(/^<aios-[0-9a-f]{32}@shop\.example>$/);
    expect(messageIdForKey('run-1:step-2', 'hello@shop.example')).not.toBe(a);
  });
});

describe('error mapping', () => {
  it('maps IMAP failures to kinds', () => {
    expect(mapImapError({ authenticationFailed: true, message: 'x' }, where).kind).toBe('auth');
    expect(mapImapError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), where).kind).toBe('network');
    expect(mapImapError(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), where).kind).toBe('network');
    const tls = mapImapError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), where);
    expect(tls.kind).toBe('network');
    expect(tls.fix).toContain('allowSelfSigned');
    expect(mapImapError({ code: 'ETHROTTLE', throttleReset: 5000, message: 't' }, where)).toMatchObject({ kind: 'rate_limit', retryAfterSeconds: 5 });
    expect(mapImapError(new Error('weird'), where).kind).toBe('protocol');
  });
  it('maps SMTP failures to kinds', () => {
    expect(mapSmtpError({ code: 'EAUTH', responseCode: 535, message: 'bad' }, 'smtp.x').kind).toBe('auth');
    expect(mapSmtpError({ code: 'EENVELOPE', responseCode: 550, message: 'no such user' }, 'smtp.x').kind).toBe('invalid_input');
    expect(mapSmtpError({ responseCode: 451, message: 'try later' }, 'smtp.x').retryable).toBe(true);
    expect(mapSmtpError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }, 'smtp.x').kind).toBe('network');
  });
});
