import type { Command } from 'commander';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, homePaths } from '../core/config.js';
import { AiosError } from '../core/errors.js';
import { postTwilioWebhook, missedCallParams, inboundSmsParams } from '../connection/twilio/webhook-client.js';
import type { Target } from './client.js';
import { parseTenantFile } from '../records/tenant-file.js';
import { countryOfPhone, FALLBACK_COUNTRY, normalisePhone, PhoneError } from '../core/phone.js';

function businessNumber(slug: string): string {
  const file = join(homePaths(loadConfig().home).tenants, slug, 'tenant.yaml');
  if (!existsSync(file)) throw new AiosError('no_tenant', `no tenant file ${file}`, { fix: 'Pick an existing business with --tenant <slug>, or create its folder under AIOS_HOME/tenants.' });
  return parseTenantFile(readFileSync(file, 'utf8'), file).phone;
}

/** A `--from` number, read as AIOS reads every number (the business's country when written without +). */
function callerNumber(raw: string, business: string): string {
  const country = countryOfPhone(business) ?? FALLBACK_COUNTRY;
  const e164 = normalisePhone(raw, country);
  if (!e164) throw new PhoneError('--from', raw, country);
  return e164;
}

/**
 * `aios simulate …`: sends the same webhook Twilio would (form fields and, when an auth token is
 * configured, a valid X-Twilio-Signature) to the running instance, so the real path runs.
 */
export function simulateCommands(program: Command, target: () => Target): void {
  const sim = program.command('simulate').description('drive the real webhook path as Twilio would');
  const send = async (t: Target, path: string, params: Record<string, string>) => {
    const cfg = loadConfig();
    const signedUrl = `${cfg.publicUrl ?? t.url}${path}`;
    const res = await postTwilioWebhook(`${t.url}${path}`, params, { authToken: cfg.twilio.authToken, signedUrl });
    const text = await res.text();
    if (!res.ok) throw new AiosError('webhook_refused', `webhook answered ${res.status}: ${text}`, { fix: 'Check that `aios start` is running for this AIOS_HOME and that TWILIO_AUTH_TOKEN matches the server\'s.' });
    return res.headers.get('x-aios-duplicate') === 'true';
  };
  sim
    .command('missed-call')
    .requiredOption('--from <e164>', "caller's number, e.g. +14165550177")
    .option('--status <s>', 'no-answer | busy | failed | canceled', 'no-answer')
    .option('--name <callerName>', 'caller ID name')
    .action(async (o: { from: string; status: string; name?: string }) => {
      const t = target();
      const to = businessNumber(t.slug);
      const params = missedCallParams({ from: callerNumber(o.from, to), to, status: o.status, callerName: o.name });
      const dup = await send(t, '/hooks/twilio/voice', params);
      process.stdout.write(`missed call from ${o.from} delivered (CallSid ${params.CallSid})${dup ? ' — duplicate, ignored' : ''}\nSee it with: npx aios runs\n`);
    });
  sim
    .command('sms')
    .requiredOption('--from <e164>', "sender's number")
    .requiredOption('--body <text>', 'message text (STOP, START and HELP are keywords)')
    .action(async (o: { from: string; body: string }) => {
      const t = target();
      const to = businessNumber(t.slug);
      const params = inboundSmsParams({ from: callerNumber(o.from, to), to, body: o.body });
      await send(t, '/hooks/twilio/sms', params);
      process.stdout.write(`SMS from ${o.from} delivered (MessageSid ${params.MessageSid})\n`);
    });
}
