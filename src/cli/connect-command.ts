import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { AiosError } from '../core/errors.js';
import { api, type Target } from './client.js';

const SECRET = /pass|secret|token|key/i;

/** Asks one question; secrets are not echoed. */
async function ask(question: string, secret: boolean): Promise<string> {
  let muted = false;
  const out = new Writable({ write: (chunk, _enc, cb) => (muted ? cb() : process.stdout.write(chunk, cb)) });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  const p = rl.question(question);
  muted = secret;
  const answer = await p;
  rl.close();
  if (secret) process.stdout.write('\n');
  return answer.trim();
}

function coerce(v: string): unknown {
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/**
 * `aios connect <kind>`: asks for the credentials (or takes `--credentials '<json>'`), and the
 * running AIOS validates them against the real service before saving them encrypted.
 */
export function connectCommand(program: Command, target: () => Target): void {
  program
    .command('connect <kind>')
    .description('connect a service (imap, caldav, ics, stripe, mcp); validated before saving')
    .option('--name <name>', 'a name for this connection')
    .option('--credentials <json>', 'credentials as JSON instead of prompts')
    .action(async (kind: string, o: { name?: string; credentials?: string }) => {
      const { CONNECTORS } = await import('../server/connectors.js');
      const connector = CONNECTORS.find((c) => c.kind === kind);
      if (!connector) throw new AiosError('unknown_kind', `unknown connection kind "${kind}"`, { fix: `Known kinds: ${CONNECTORS.map((c) => c.kind).join(', ')}.` });
      let credentials: Record<string, unknown> = {};
      if (o.credentials) {
        try {
          credentials = JSON.parse(o.credentials) as Record<string, unknown>;
        } catch {
          throw new AiosError('bad_input', '--credentials is not valid JSON', { fix: 'Quote it for the shell, e.g. --credentials \'{"host":"imap.example.com"}\'.' });
        }
      } else {
        const shape = (connector.credentials as unknown as { shape?: Record<string, unknown> }).shape ?? {};
        process.stdout.write(`Connecting ${connector.title}. Press Enter to keep a default.\n`);
        for (const key of Object.keys(shape)) {
          const v = await ask(`${key}: `, SECRET.test(key));
          if (v !== '') credentials[key] = coerce(v);
        }
      }
      process.stdout.write('Checking the credentials against the service…\n');
      const r = await api<{ connection: { id: string; name: string } }>(target(), 'POST', '/api/v1/connections', { kind, name: o.name ?? kind, credentials });
      process.stdout.write(`Connected: ${r.connection.name} (${r.connection.id}). See it with: npx aios connections\n`);
    });
}
