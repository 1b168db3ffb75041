/**
 * A local stand-in for Twilio's REST message API (2010-04-01) for tests and benchmarks.
 *
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json   create (form-encoded To, From, Body)
 *   GET  /2010-04-01/Accounts/{AccountSid}/Messages.json   list, filters To, From, DateSent>=, PageSize
 *   GET  /2010-04-01/Accounts/{AccountSid}/Messages/{sid}.json
 *   GET|DELETE /_sink/messages                             read / clear what was recorded
 *   POST /_sink/fail {"status","times","record"}           same as failNext(), from another process
 *   POST /_sink/delay {"ms"}                               same as setDelay()
 *
 * Standalone: `tsx test/support/twilio-sink.ts --port 0 --account AC… --token …` prints
 * `{"url":"http://127.0.0.1:PORT"}` on one line when ready and runs until SIGINT/SIGTERM.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface SinkMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  /** ISO 8601 time the sink accepted the message (same shape in-process and via /_sink/messages). */
  receivedAt: string;
  statusCallback?: string;
}

export interface TwilioSinkOptions {
  accountSid: string;
  authToken: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
}

export interface TwilioSink {
  /** Base URL to pass as the REST client's `baseUrl`, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Messages accepted so far, oldest first (cleared in place by DELETE /_sink/messages). */
  messages: SinkMessage[];
  close(): Promise<void>;
  /**
   * The next `times` (default 1) authenticated API requests get HTTP `status` with a Twilio-style
   * error body. With `record: true` a create is recorded first (a send whose response was lost).
   */
  failNext(status: number, times?: number, opts?: { record?: boolean }): void;
  /** Delays every API response by `ms` milliseconds, after the request has been processed. */
  setDelay(ms: number): void;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const SENDER = /^(\+[1-9]\d{6,14}|\d{3,8}|[A-Za-z0-9 ]{1,11}|MG[0-9a-f]{32})$/;
const API = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/;

export async function startTwilioSink(opts: TwilioSinkOptions): Promise<TwilioSink> {
  const messages: SinkMessage[] = [];
  const created = new Map<string, Record<string, unknown>>();
  let failures: { status: number; remaining: number; record: boolean } | undefined;
  let delayMs = 0;
  const expectedAuth = Buffer.from('Basic ' + Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64'));

  const failNext = (status: number, times = 1, o: { record?: boolean } = {}): void => {
    failures = times > 0 ? { status, remaining: times, record: o.record ?? false } : undefined;
  };
  const setDelay = (ms: number): void => {
    delayMs = Math.max(0, ms);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sink');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);

    if (url.pathname === '/_sink/messages') {
      if (method === 'GET') return send(res, 200, messages);
      if (method === 'DELETE') {
        messages.length = 0;
        created.clear();
        return send(res, 200, { cleared: true });
      }
    }
    if (url.pathname === '/_sink/fail' && method === 'POST') {
      const b = parseJson(raw);
      failNext(Number(b['status']), b['times'] === undefined ? 1 : Number(b['times']), { record: b['record'] === true });
      return send(res, 200, { ok: true });
    }
    if (url.pathname === '/_sink/delay' && method === 'POST') {
      setDelay(Number(parseJson(raw)['ms']) || 0);
      return send(res, 200, { ok: true });
    }

    const m = API.exec(url.pathname);
    if (!m) return send(res, 404, twilioError(20404, 'The requested resource was not found', 404));
    const given = Buffer.from(req.headers.authorization ?? '');
    const authOk = given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
    if (!authOk || decodeURIComponent(m[1] ?? '') !== opts.accountSid) {
      return send(res, 401, twilioError(20003, 'Authenticate', 401));
    }

    let result: { status: number; body: unknown };
    const fail = failures;
    if (fail) {
      fail.remaining -= 1;
      if (fail.remaining <= 0) failures = undefined;
      if (fail.record && method === 'POST' && !m[2]) createMessage(new URLSearchParams(raw));
      result = { status: fail.status, body: twilioError(fail.status === 429 ? 20429 : 20500, `Simulated HTTP ${fail.status}`, fail.status) };
    } else if (method === 'POST' && !m[2]) {
      result = createMessage(new URLSearchParams(raw));
    } else if (method === 'GET' && m[2]) {
      const one = created.get(decodeURIComponent(m[2]));
      result = one ? { status: 200, body: one } : { status: 404, body: twilioError(20404, `The requested resource ${url.pathname} was not found`, 404) };
    } else if (method === 'GET') {
      result = { status: 200, body: listMessages(url) };
    } else {
      result = { status: 405, body: twilioError(20004, 'Method not allowed', 405) };
    }
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    send(res, result.status, result.body);
  };

  const createMessage = (form: URLSearchParams): { status: number; body: unknown } => {
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? '';
    const body = form.get('Body') ?? '';
    if (!to) return bad(21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return bad(21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from) return bad(21603, "A 'From' phone number is required.");
    if (!SENDER.test(from)) return bad(21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
    if (!body && !form.get('MediaUrl')) return bad(21602, 'Message body is required.');
    if (body.length > 1600) return bad(21617, 'The concatenated message body exceeds the 1600 character limit.');
    const now = new Date();
    const sid = 'SM' + randomBytes(16).toString('hex');
    const statusCallback = form.get('StatusCallback') ?? undefined;
    const uri = `/2010-04-01/Accounts/${opts.accountSid}/Messages/${sid}.json`;
    const rfc = rfc2822(now);
    const resource: Record<string, unknown> = {
      account_sid: opts.accountSid, api_version: '2010-04-01', body, date_created: rfc, date_sent: rfc, date_updated: rfc,
      direction: 'outbound-api', error_code: null, error_message: null, from, messaging_service_sid: null,
      num_media: '0', num_segments: String(Math.max(1, Math.ceil(body.length / 160))), price: null, price_unit: 'USD',
      sid, status: 'queued', subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') }, to, uri,
    };
    created.set(sid, resource);
    messages.push({ sid, to, from, body, receivedAt: now.toISOString(), ...(statusCallback ? { statusCallback } : {}) });
    return { status: 201, body: resource };
  };

  const listMessages = (url: URL): Record<string, unknown> => {
    const q = url.searchParams;
    const to = q.get('To');
    const from = q.get('From');
    const after = q.get('DateSent>');
    const before = q.get('DateSent<');
    const on = q.get('DateSent');
    const pageSize = Math.min(1000, Math.max(1, Number(q.get('PageSize') ?? 50) || 50));
    const rows = [...created.values()]
      .reverse() // newest first, as Twilio lists
      .filter((r) => {
        const day = new Date(String(r['date_sent'])).toISOString().slice(0, 10);
        return (!to || r['to'] === to) && (!from || r['from'] === from) && (!after || day >= after) &&
          (!before || day <= before) && (!on || day === on);
      })
      .slice(0, pageSize);
    const uri = url.pathname + url.search;
    return {
      messages: rows, start: 0, end: Math.max(0, rows.length - 1), page: 0, page_size: pageSize,
      first_page_uri: uri, previous_page_uri: null, next_page_uri: null, uri,
    };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, twilioError(20500, `Sink error: ${String(err)}`, 500));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    failNext,
    setDelay,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function bad(code: number, message: string): { status: number; body: unknown } {
  return { status: 400, body: twilioError(code, message, 400) };
}

function twilioError(code: number, message: string, status: number): Record<string, unknown> {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text || '{}');
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** RFC 2822 in UTC, as Twilio formats dates: `Wed, 18 Aug 2010 20:01:40 +0000`. */
function rfc2822(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const accountSid = argValue(args, '--account') ?? process.env['TWILIO_ACCOUNT_SID'];
  const authToken = argValue(args, '--token') ?? process.env['TWILIO_AUTH_TOKEN'];
  if (!accountSid || !authToken) {
    process.stderr.write('usage: tsx test/support/twilio-sink.ts [--port 0] --account AC… --token …\n');
    process.exit(2);
  }
  const sink = await startTwilioSink({ accountSid, authToken, port: Number(argValue(args, '--port') ?? 0) });
  process.stdout.write(JSON.stringify({ url: sink.url }) + '\n');
  const stop = (): void => {
    sink.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`twilio-sink: ${String(err)}\n`);
    process.exit(1);
  });
}
