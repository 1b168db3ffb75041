import { join } from 'node:path';
import { startAios } from '../server/runtime.js';
import { homePaths } from '../core/config.js';
import { seedDemo } from '../server/demo/seed-demo.js';
import { aiStatusLine } from '../ai/ai-status.js';
import { stopOnSignals } from './stop-on-signals.js';

/**
 * `aios start`: runs AIOS in the foreground until SIGINT/SIGTERM, printing the address and what to
 * try. The API token is printed only by the start that created it (stdout often ends up in logs
 * such as journald); later starts say which file keeps it. The first start of a fresh AIOS_HOME
 * creates and fills the demo business. `--no-work` (`work: false`): HTTP only, runs go to workers.
 */
export async function startCommand(opts: { work?: boolean } = {}): Promise<void> {
  const t0 = Date.now();
  const aios = await startAios({ work: opts.work !== false });
  let approvalLink: string | null = null;
  let approvalId: string | null = null;
  if (aios.demoCreated) ({ approvalLink, approvalId } = await seedDemo(aios));
  const tenants = aios.tenants.all();
  const first = tenants[0];
  const token = first ? aios.cliTokens.get(first.slug) : undefined;
  const tokenFile = first ? join(homePaths(aios.config.home).cliTokens, first.slug) : '';
  const showToken = !!first && aios.cliTokensCreated.has(first.slug);
  const login = first ? aios.ownerLogins.find((l) => l.slug === first.slug) : undefined;
  const loginLines = login
    ? [`  dashboard: open ${aios.url} and log in as ${login.email}`, login.password
      ? (login.created ? `  password:  ${login.password}   (shown this once; kept in ${login.file} until you set your own: npx aios user password ${login.email})` : `  password:  cat ${login.file}   (or set your own: npx aios user password ${login.email})`)
      : '']
    : [];
  const sms = aios.config.twilio.accountSid && aios.config.twilio.authToken ? `Twilio at ${aios.config.twilio.baseUrl}` : 'sandbox (no Twilio credentials: messages are recorded, nothing leaves this machine)';
  const lines = [
    '',
    `AIOS is running at ${aios.url}  (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    `  data:      ${aios.config.home}${aios.config.databaseUrl ? ' (external PostgreSQL)' : ' (embedded PostgreSQL)'}`,
    `  SMS:       ${sms}`,
    opts.work === false ? '  work:      none here (--no-work): runs are executed by `aios worker` processes on the same DATABASE_URL' : '',
    `  ${aiStatusLine().replace(/^AI: /, 'AI:        ')}`,
    ...tenants.map((t) => `  business:  ${t.name} (${t.slug}, ${t.timeZone}, ${t.phone})`),
    ...loginLines,
    token ? (showToken ? `  API token: ${token}${tenants.length > 1 ? ` (${first!.slug})` : ''}   (shown this once; kept in ${tokenFile})` : `  API token: cat ${tokenFile}   (shown only at the first start)`) : '',
    '',
    'Try (each line is a command you can paste):',
    ...(tenants.length > 1 ? [`  npx aios use ${first!.slug}                # several businesses: choose the one commands act on`] : []),
    `  npx aios status                       # what happened, what waits for you`,
    `  npx aios approvals                    # texts waiting for your OK, in full`,
    approvalId
      ? `  npx aios approvals approve ${approvalId}   # or: npx aios approvals reject ${approvalId} --reason "not a customer"`
      : `  npx aios approvals approve ID         # ID from the list above; or: npx aios approvals reject ID --reason "…"`,
    `  npx aios simulate missed-call --from +14165550177`,
    `  npx aios runs                         # add --json to any listing for machine output`,
    `  npx aios signals`,
    `  npx aios outbox`,
    `  npx aios contacts`,
    `  npx aios deals`,
    `  npx aios ledger`,
    `  npx aios knowledge ask "Do you charge extra on Sundays?"`,
    `  npx aios connect imap                 # mailbox, calendar (caldav, ics), stripe, mcp; see --help`,
    token ? `  curl -H "Authorization: Bearer ${showToken ? token : `$(cat ${tokenFile})`}" ${aios.url}/api/v1/status` : '',
    approvalLink ? `  approval link texted to the owner (open it in a browser): ${approvalLink}` : '',
    '',
  ].filter((l, i, a) => l !== '' || a[i - 1] !== '');
  process.stdout.write(lines.join('\n') + '\n');
  stopOnSignals('aios', aios.log, () => aios.stop());
}
