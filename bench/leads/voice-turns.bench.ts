/**
 * Part of `npm run bench:leads`: voice turns of the offline receptionist against a running AIOS
 * (child process, embedded PostgreSQL, signed webhooks). 20 concurrent calls (BENCH_CALLS), each
 * a greeting plus a price question, a booking request, name, address, callback (→ three slots
 * offered) and a goodbye:
 * - Gather mode: speech webhook in → TwiML out, p50/p95;
 * - ConversationRelay: `prompt` in → first `text` token out on the WebSocket, p50/p95.
 * Target p95 ≤ 150 ms. Prints Markdown tables for two loads: a burst (every call speaks at the same
 * instant, no pause between turns: the worst case) and paced (each caller pauses 0.75–2.25 s between
 * turns, as people do while speaking and listening; BENCH_PACE_MS sets the mean, default 1500).
 */
import { rmSync } from 'node:fs';
import { makeHome, tenantYaml, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN } from '../../test/support/tenant-files.js';
import { startChild } from '../../test/support/child-aios.js';
import { startTwilioSink } from '../../test/support/twilio-sink.js';
import { RelayClient } from '../../test/support/relay-client.js';
import { postTwilioWebhook, twilioSid } from '../../src/connection/twilio/webhook-client.js';
import { percentile, printTable } from '../lib/stats.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const PACE = Number(process.env.BENCH_PACE_MS ?? 1500);
/** Waits 0.5–1.5 × `mean` milliseconds (0: not at all). */
const pause = (mean: number) => (mean > 0 ? new Promise((r) => setTimeout(r, mean * (0.5 + Math.random()))) : Promise.resolve());
const HOURS = '  hours:\n    mon: ["00:00", "23:59"]\n    tue: ["00:00", "23:59"]\n    wed: ["00:00", "23:59"]\n    thu: ["00:00", "23:59"]\n    fri: ["00:00", "23:59"]\n    sat: ["00:00", "23:59"]\n    sun: ["00:00", "23:59"]\n';
const tenant = (slug: string, phone: string, mode: string) => {
  const t = { slug, phone, ownerPhone: '+14165550111', policy: AUTO_POLICY };
  return { ...t, files: { 'tenant.yaml': tenantYaml(t).replace('  tone: friendly\n', `  tone: friendly\n${HOURS}`) + `voice:\n  answer: always\n  mode: ${mode}\n`, 'knowledge/prices.md': '# Prices\n\nDrain cleaning costs $149 per visit.\n' } };
};
const GATHER = '+14165550100';
const RELAY = '+14165550200';
const SCRIPT = ['How much is drain cleaning?', 'I would like to book a visit', 'Dana Smith', '12 Elm Street', 'yes', 'none of those', "no that's all, bye"];

const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const home = makeHome([tenant('gatherco', GATHER, 'gather'), tenant('relayco', RELAY, 'relay')]);
const child = await startChild(home, { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url, AIOS_LOG_LEVEL: 'warn' }, 60_000);
await new Promise((r) => setTimeout(r, 1500)); // knowledge indexing at start
const hook = (path: string, p: Record<string, string>) => postTwilioWebhook(`${child.url}/hooks/twilio${path}`, p, { authToken: AUTH_TOKEN });
const callParams = (callSid: string, from: string, to: string) => ({ CallSid: callSid, AccountSid: ACCOUNT_SID, From: from, To: to, CallStatus: 'in-progress', Direction: 'inbound' });
const ms = () => performance.now();

async function gatherCall(i: number, pace: number): Promise<{ turns: number[]; incoming: number }> {
  await pause(pace);
  const base = callParams(twilioSid('CA'), `+1647${String(3_000_000 + i).padStart(7, '0')}`, GATHER);
  let t = ms();
  const first = await hook('/incoming', base);
  await first.text();
  const incoming = ms() - t;
  const turns: number[] = [];
  for (const speech of SCRIPT) {
    await pause(pace);
    t = ms();
    const res = await hook('/gather', { ...base, SpeechResult: speech, Confidence: '0.9' });
    const xml = await res.text();
    if (res.status !== 200) throw new Error(`gather answered ${res.status}: ${xml}`);
    turns.push(ms() - t);
  }
  await (await hook('/voice', { ...base, CallStatus: 'completed', CallDuration: '60' })).text();
  return { turns, incoming };
}

async function relayCall(i: number, pace: number): Promise<number[]> {
  await pause(pace);
  const callSid = twilioSid('CA');
  const from = `+1647${String(4_000_000 + i).padStart(7, '0')}`;
  const twiml = await (await hook('/incoming', callParams(callSid, from, RELAY))).text();
  const wss = /<ConversationRelay url="([^"]+)"/.exec(twiml)![1]!.replace(/&amp;/g, '&');
  const ws = await RelayClient.connect(wss, { authToken: AUTH_TOKEN });
  ws.setup({ callSid, from, to: RELAY, accountSid: ACCOUNT_SID });
  const firsts: number[] = [];
  for (const speech of SCRIPT.slice(0, -1)) {
    await pause(pace);
    const n = ws.received.length;
    const t = ms();
    ws.prompt(speech);
    await ws.waitForCount(n);
    firsts.push(ms() - t);
    await ws.reply(n);
  }
  await ws.close();
  return firsts;
}

try {
  for (const [load, pace] of [['burst: all at once, no pauses', 0], [`paced: ${PACE / 1000} s mean pause between turns`, PACE]] as const) {
    const g = await Promise.all(Array.from({ length: CALLS }, (_, i) => gatherCall(i + (pace ? 500 : 0), pace)));
    const turns = g.flatMap((x) => x.turns);
    const incoming = g.map((x) => x.incoming);
    const r = (await Promise.all(Array.from({ length: CALLS }, (_, i) => relayCall(i + (pace ? 500 : 0), pace)))).flat();
    const row = (name: string, v: number[]) => [name, v.length, percentile(v, 50).toFixed(1), percentile(v, 95).toFixed(1), percentile(v, 95) <= 150 ? 'yes' : 'no'];
    if (process.env.BENCH_DETAIL) SCRIPT.forEach((line, k) => console.log(line, percentile(g.map((x) => x.turns[k]!), 50).toFixed(1)));
    printTable(`Voice turns, offline receptionist, ${CALLS} concurrent calls, ${load}`, ['path', 'turns', 'p50 ms', 'p95 ms', 'p95 ≤ 150 ms'], [
      row('incoming call webhook → TwiML (greeting)', incoming),
      row('Gather: speech webhook → TwiML', turns),
      row('Relay: prompt → first text token', r),
    ]);
  }
} catch (err) {
  process.stderr.write(child.output().slice(-3000));
  throw err;
} finally {
  child.proc.kill('SIGTERM');
  await child.exited;
  await sink.close();
  rmSync(home, { recursive: true, force: true });
}
