import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, PermanentError, TransientError } from '../../src/core/errors.js';
import { TwilioRestClient } from '../../src/connection/twilio/rest-client.js';
import { startTwilioSink, type SinkMessage, type TwilioSink } from './twilio-sink.js';
import { rejection } from './rejection.js';

const accountSid = 'AC' + '0123456789abcdef'.repeat(2);
const authToken = 'sink-test-token';
const FROM = '+14155550100';
const TO = '+14155550199';

describe('TwilioRestClient against the Twilio sink', () => {
  let sink: TwilioSink;
  let client: TwilioRestClient;

  beforeAll(async () => {
    sink = await startTwilioSink({ accountSid, authToken });
    client = new TwilioRestClient({ baseUrl: sink.url + '/', accountSid, authToken, timeoutMs: 2_000 });
  });
  afterAll(async () => sink.close());
  afterEach(async () => {
    sink.setDelay(0);
    await fetch(`${sink.url}/_sink/messages`, { method: 'DELETE' });
  });

  it('sends a message and returns sid, status and the raw resource', async () => {
    const sent = await client.sendMessage({ to: TO, from: FROM, body: 'Sorry we missed your call & <more>', statusCallback: 'https://aios.example/cb' });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    expect(sent.raw).toMatchObject({ to: TO, from: FROM, account_sid: accountSid, body: 'Sorry we missed your call & <more>' });
    expect(String(sent.raw['date_created'])).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(sent.raw['uri']).toBe(`/2010-04-01/Accounts/${accountSid}/Messages/${sent.sid}.json`);
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]).toMatchObject({ sid: sent.sid, to: TO, from: FROM, statusCallback: 'https://aios.example/cb' });
    const viaHttp = (await (await fetch(`${sink.url}/_sink/messages`)).json()) as SinkMessage[];
    expect(viaHttp).toEqual(sink.messages);
  });

  it('maps bad credentials to AuthError', async () => {
    const bad = new TwilioRestClient({ baseUrl: sink.url, accountSid, authToken: 'wrong' });
    const err = await rejection(bad.sendMessage({ to: TO, from: FROM, body: 'x' }));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toMatch(/HTTP 401, code 20003: Authenticate/);
    expect(err.message).not.toContain('wrong');
    const otherAccount = new TwilioRestClient({ baseUrl: sink.url, accountSid: 'AC' + 'f'.repeat(32), authToken });
    expect(await rejection(otherAccount.sendMessage({ to: TO, from: FROM, body: 'x' }))).toBeInstanceOf(AuthError);
    expect(sink.messages).toHaveLength(0);
  });

  it('maps 500 and 429 to TransientError (retryable), then recovers', async () => {
    sink.failNext(500, 1);
    const e500 = await rejection(client.sendMessage({ to: TO, from: FROM, body: 'x' }));
    expect(e500).toBeInstanceOf(TransientError);
    expect((e500 as TransientError).retryable).toBe(true);
    sink.failNext(429);
    expect(await rejection(client.sendMessage({ to: TO, from: FROM, body: 'x' }))).toBeInstanceOf(TransientError);
    await expect(client.sendMessage({ to: TO, from: FROM, body: 'x' })).resolves.toMatchObject({ status: 'queued' });
    expect(sink.messages).toHaveLength(1);
  });

  it('maps a bad To to PermanentError with Twilio code and message', async () => {
    const err = await rejection(client.sendMessage({ to: '555-0199', from: FROM, body: 'x' }));
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).retryable).toBe(false);
    expect(err.message).toContain('code 21211');
    expect(err.message).toContain("The 'To' number 555-0199 is not a valid phone number.");
    expect(await rejection(client.sendMessage({ to: TO, from: FROM, body: '' }))).toBeInstanceOf(PermanentError);
  });

  it('maps a timeout and a refused connection to TransientError', async () => {
    sink.setDelay(500);
    const quick = new TwilioRestClient({ baseUrl: sink.url, accountSid, authToken, timeoutMs: 100 });
    const err = await rejection(quick.sendMessage({ to: TO, from: FROM, body: 'slow' }));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/timed out after 100 ms/);
    const dead = new TwilioRestClient({ baseUrl: 'http://127.0.0.1:9', accountSid, authToken, timeoutMs: 1_000 });
    expect(await rejection(dead.sendMessage({ to: TO, from: FROM, body: 'x' }))).toBeInstanceOf(TransientError);
  });

  it('findRecentMessage reconciles a send whose response was lost', async () => {
    const since = new Date();
    sink.failNext(502, 1, { record: true });
    expect(await rejection(client.sendMessage({ to: TO, from: FROM, body: 'Your table is booked' }))).toBeInstanceOf(TransientError);
    await client.sendMessage({ to: TO, from: FROM, body: 'Something else' });
    await client.sendMessage({ to: '+14155550111', from: FROM, body: 'Your table is booked' });

    const found = await client.findRecentMessage({ to: TO, from: FROM, body: 'Your table is booked', since });
    expect(found?.sid).toBe(sink.messages[0]?.sid);
    expect(found).toMatchObject({ to: TO, from: FROM, body: 'Your table is booked', status: 'queued' });

    expect(await client.findRecentMessage({ to: TO, from: FROM, body: 'Never sent', since })).toBeNull();
    const later = new Date(Date.now() + 5 * 60_000);
    expect(await client.findRecentMessage({ to: TO, from: FROM, body: 'Your table is booked', since: later })).toBeNull();
    // Within the 60 s skew margin.
    const slightlyLater = new Date(Date.now() + 30_000);
    expect(await client.findRecentMessage({ to: TO, from: FROM, body: 'Your table is booked', since: slightlyLater })).not.toBeNull();
  });

  it('lists with To/From/DateSent> filters like Twilio', async () => {
    await client.sendMessage({ to: TO, from: FROM, body: 'a' });
    await client.sendMessage({ to: '+14155550111', from: FROM, body: 'b' });
    const auth = 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64');
    const base = `${sink.url}/2010-04-01/Accounts/${accountSid}/Messages.json`;
    const list = async (q: string) =>
      ((await (await fetch(`${base}?${q}`, { headers: { authorization: auth } })).json()) as { messages: Array<{ body: string }> }).messages;
    expect((await list('')).map((m) => m.body)).toEqual(['b', 'a']);
    expect((await list(`To=${encodeURIComponent(TO)}`)).map((m) => m.body)).toEqual(['a']);
    expect(await list('DateSent%3E=2999-01-01')).toEqual([]);
    expect(await list('PageSize=1')).toHaveLength(1);
  });
});

describe('twilio-sink as a standalone process', () => {
  it('prints its URL as one JSON line and serves the API', async () => {
    const script = fileURLToPath(new URL('./twilio-sink.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const child = spawn(tsx, [script, '--port', '0', '--account', accountSid, '--token', authToken], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout! });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`sink exited with ${code}`)));
      });
      const { url } = JSON.parse(line) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new TwilioRestClient({ baseUrl: url, accountSid, authToken });
      const sent = await client.sendMessage({ to: TO, from: FROM, body: 'cross-process' });
      const recorded = (await (await fetch(`${url}/_sink/messages`)).json()) as SinkMessage[];
      expect(recorded).toEqual([expect.objectContaining({ sid: sent.sid, body: 'cross-process' })]);
      await fetch(`${url}/_sink/messages`, { method: 'DELETE' });
      expect(await (await fetch(`${url}/_sink/messages`)).json()).toEqual([]);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }, 20_000);
});
