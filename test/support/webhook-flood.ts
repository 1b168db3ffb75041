/**
 * A flood of signed missed-call webhooks from a process of its own, so that the process measuring
 * latency is not the one busy firing (an event loop firing 200 requests a second delays its own
 * timers and database connections). Open loop: one call every 1000/rate ms whatever the answers
 * take, each from a new caller `<prefix><0000…>`.
 * Usage: tsx test/support/webhook-flood.ts <voiceUrl> <to> <callerPrefix> <ratePerSecond> <seconds>
 * (auth token in TWILIO_AUTH_TOKEN, account in TWILIO_ACCOUNT_SID); prints one JSON line at the end:
 * {"fired":n,"answered":n,"errors":["…"],"p50Ms":n,"p99Ms":n}; on SIGTERM, the same for the answers so far.
 */
import { postTwilioWebhook, missedCallParams } from '../../src/connection/twilio/webhook-client.js';
import { percentile } from '../../bench/lib/stats.js';

const [url, to, prefix, rateArg, secondsArg] = process.argv.slice(2);
if (!url || !to || !prefix || !rateArg || !secondsArg) {
  process.stderr.write('usage: webhook-flood.ts <voiceUrl> <to> <callerPrefix> <ratePerSecond> <seconds>\n');
  process.exit(2);
}
const rate = Number(rateArg);
const total = Math.round(rate * Number(secondsArg));
const authToken = process.env.TWILIO_AUTH_TOKEN ?? '';
const accountSid = process.env.TWILIO_ACCOUNT_SID ?? '';
const errors: string[] = [];
const took: number[] = [];
const t0 = Date.now();
let firedMs = 0;
const summary = () => JSON.stringify({ fired: total, firedMs: firedMs || Date.now() - t0, answered: took.length, errors: errors.slice(0, 10), errorCount: errors.length, p50Ms: percentile(took, 50), p99Ms: percentile(took, 99) }) + '\n';
// SIGTERM: the summary so far (calls still waiting for their answer are neither answered nor errors).
process.once('SIGTERM', () => process.stdout.write(summary(), () => process.exit(0)));
const all: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const wait = t0 + (i * 1000) / rate - Date.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  const start = Date.now();
  all.push(
    postTwilioWebhook(url, missedCallParams({ from: `${prefix}${String(i).padStart(4, '0')}`, to, accountSid }), { authToken }).then(
      async (res) => {
        await res.arrayBuffer();
        if (res.status === 200) took.push(Date.now() - start);
        else errors.push(`HTTP ${res.status}`);
      },
      (err: unknown) => void errors.push(String((err as Error).cause ?? err)),
    ),
  );
}
firedMs = Date.now() - t0;
await Promise.all(all);
process.stdout.write(summary());
