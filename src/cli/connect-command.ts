import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AiosError } from '../core/errors.js';
import { api, type Target } from './client.js';
import { credentialFields, parseFieldValue, promptFor, type CredentialField } from './credential-fields.js';

/**
 * Questions on one readline interface for the whole session, so that piped input is read line by
 * line (a fresh interface per question loses the lines the previous one had buffered). Secrets
 * are not echoed on a terminal.
 */
class Prompter {
  private muted = false;
  private readonly lines: AsyncIterator<string>;
  private readonly rl;
  constructor(input: NodeJS.ReadStream = process.stdin) {
    const out = new Writable({ write: (chunk, _enc, cb) => (this.muted ? cb() : process.stdout.write(chunk, cb)) });
    this.rl = createInterface({ input, output: out, terminal: !!input.isTTY });
    this.lines = this.rl[Symbol.asyncIterator]();
  }
  /** The next answer; null when the input has ended. */
  async ask(question: string, secret: boolean): Promise<string | null> {
    process.stdout.write(question);
    this.muted = secret;
    const next = await this.lines.next();
    this.muted = false;
    if (secret || !process.stdin.isTTY) process.stdout.write('\n');
    return next.done ? null : next.value.trim();
  }
  close(): void {
    this.rl.close();
  }
}

/** Reads all of stdin (for `--password-stdin`): the first line, without its newline. */
async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * Credentials given on the command line: `--host mail.example.com`, `--port=993`, `--secure no`,
 * `--password-env VAR` (read from the environment) or `--password-stdin` (the first line of stdin),
 * for every field of the connector's schema. Secrets are refused as plain flag values (they would
 * land in the shell's history).
 */
async function credentialsFromFlags(args: string[], fields: CredentialField[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const known = fields.flatMap((f) => (f.type === 'string' || f.secret ? [f.flag, `${f.flag}-env`, `${f.flag}-stdin`] : [f.flag]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new AiosError('bad_input', `unexpected argument "${arg}"`, { fix: `Credentials are flags: ${known.join(' ')}.` });
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const f = fields.find((x) => name === x.flag || name === `${x.flag}-env` || name === `${x.flag}-stdin`);
    if (!f) throw new AiosError('bad_input', `unknown option ${name}`, { fix: `This kind takes: ${known.join(' ')} (and --name, --credentials).` });
    if (name.endsWith('-stdin') && name !== f.flag) {
      out[f.key] = await readStdinLine();
      continue;
    }
    const value = inline ?? (f.type === 'boolean' && (args[i + 1] === undefined || args[i + 1]!.startsWith('--')) ? 'true' : args[++i]);
    if (value === undefined) throw new AiosError('bad_input', `${name} needs a value`, { fix: `Write ${name} <value>.` });
    if (name.endsWith('-env') && name !== f.flag) {
      const v = env[value];
      if (v === undefined || v === '') throw new AiosError('bad_input', `${name}: the environment variable ${value} is not set`, { fix: `Set it first (export ${value}=…), or use ${f.flag}-stdin.` });
      out[f.key] = parseFieldValue(f, v);
      continue;
    }
    if (f.secret) throw new AiosError('bad_input', `${f.flag} is a secret and is not taken as a plain flag (it would stay in your shell history)`, { fix: `Use ${f.flag}-env VAR or ${f.flag}-stdin instead.` });
    out[f.key] = parseFieldValue(f, value);
  }
  return out;
}

/**
 * `aios connect <kind>`: takes the credentials as flags (`--host … --password-env VAR`, derived
 * from the connector's schema), as `--credentials '<json>'`, or asks for them one per line
 * (defaults shown; piped answers work). The running AIOS checks them against the real service and
 * saves them encrypted only if the check passes; otherwise the command exits 1 with the reason.
 */
export function connectCommand(program: Command, target: () => Target): void {
  program
    .command('connect <kind>')
    .description('connect a service (imap, caldav, ics, stripe, mcp); checked before saving. Credentials as flags (e.g. --host h --user u --password-env VAR), or answer the questions')
    .option('--name <name>', 'a name for this connection')
    .option('--credentials <json>', 'credentials as JSON instead of flags or questions')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (kind: string, o: { name?: string; credentials?: string }, cmd: Command) => {
      const { CONNECTORS } = await import('../server/connectors.js');
      const connector = CONNECTORS.find((c) => c.kind === kind);
      if (!connector) throw new AiosError('unknown_kind', `unknown connection kind "${kind}"`, { fix: `Known kinds: ${CONNECTORS.map((c) => c.kind).join(', ')}.` });
      const fields = credentialFields(connector.credentials);
      let credentials: Record<string, unknown> = {};
      if (o.credentials) {
        try {
          credentials = JSON.parse(o.credentials) as Record<string, unknown>;
        } catch {
          throw new AiosError('bad_input', '--credentials is not valid JSON', { fix: `Quote it whole, e.g. --credentials '{"${fields[0]?.key ?? 'key'}": "…"}'.` });
        }
      }
      const flagArgs = cmd.args.slice(1);
      Object.assign(credentials, await credentialsFromFlags(flagArgs, fields, process.env));
      if (!o.credentials && flagArgs.length === 0) {
        process.stdout.write(`Connecting ${connector.title}. Press Enter to keep the default shown in [brackets].\n`);
        const prompter = new Prompter();
        try {
          for (const f of fields) {
            const answer = await prompter.ask(promptFor(f), f.secret);
            if (answer === null) {
              if (f.default !== undefined || f.optional) continue;
              throw new AiosError('bad_input', `the input ended before "${f.key}" was given; nothing was saved`, { fix: `Give one answer per line, in this order: ${fields.map((x) => x.key).join(', ')} (empty line = default), or use flags: ${fields.map((x) => x.flag).join(' ')}.` });
            }
            if (answer !== '') credentials[f.key] = parseFieldValue(f, answer);
          }
        } finally {
          prompter.close();
        }
      }
      const missing = fields.filter((f) => f.default === undefined && !f.optional && credentials[f.key] === undefined);
      if (missing.length) throw new AiosError('bad_input', `missing ${missing.map((f) => f.key).join(', ')}; nothing was saved`, { fix: `Add ${missing.map((f) => (f.secret ? `${f.flag}-env VAR` : `${f.flag} …`)).join(' ')}.` });
      process.stdout.write('Checking the credentials against the service…\n');
      const r = await api<{ connection: { id: string; name: string } }>(target(), 'POST', '/api/v1/connections', { kind, name: o.name ?? kind, credentials });
      process.stdout.write(`Saved and connected: ${r.connection.name} (${r.connection.id}). See it with: npx aios connections\n`);
    });
}
