import type { Command } from 'commander';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig, homePaths } from '../core/config.js';
import { AiosError } from '../core/errors.js';
import { postTwilioWebhook, missedCallParams, inboundSmsParams } from '../connection/twilio/webhook-client.js';
import type { Target } from './client.js';

function businessNumber(slug: string): string {
  const file = join(homePaths(loadConfig().home).tenants, slug, 'tenant.yaml');
  if (!existsSync(file)) throw new AiosError('no_tenant', `no tenant file ${file}`);
  return String((parse(readFileSync(file, 'utf8')) as { phone: string }).phone);
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
    if (!res.ok) throw new AiosError('webhook_refused', `webhook answered ${res.status}: ${text}`);
    return res.headers.get('x-aios-duplicate') === 'true';
  };
  sim
    .command('missed-call')
    .requiredOption('--from <e164>', "caller's number, e.g. +14165550177")
    .option('--status <s>', 'no-answer | busy | failed | canceled', 'no-answer')
    .option('--name <callerName>', 'caller ID name')
    .action(async (o: { from: string; status: string; name?: string }) => {
      const t = target();
      const params = missedCallParams({ from: o.from, to: businessNumber(t.slug), status: o.status, callerName: o.name });
      const dup = await send(t, '/hooks/twilio/voice', params);
      process.stdout.write(`missed call from ${o.from} delivered (CallSid ${params.CallSid})${dup ? ' — duplicate, ignored' : ''}\nSee it with: npx aios runs\n`);
    });
  sim
    .command('sms')
    .requiredOption('--from <e164>', "sender's number")
    .requiredOption('--body <text>', 'message text (STOP, START and HELP are keywords)')
    .action(async (o: { from: string; body: string }) => {
      const t = target();
      const params = inboundSmsParams({ from: o.from, to: businessNumber(t.slug), body: o.body });
      await send(t, '/hooks/twilio/sms', params);
      process.stdout.write(`SMS from ${o.from} delivered (MessageSid ${params.MessageSid})\n`);
    });
}
