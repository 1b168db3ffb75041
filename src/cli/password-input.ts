import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AiosError } from '../core/errors.js';
import { homePaths } from '../core/config.js';
import type { Target } from './client.js';

/** All of standard input as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks for a password on the terminal without echoing it; refuses when there is no terminal. */
export async function askPassword(message: string): Promise<string> {
  if (!process.stdin.isTTY) throw new AiosError('bad_input', 'no terminal to ask for the password', { fix: 'Pipe it in with --stdin, e.g. `printf %s "$PW" | npx aios user password EMAIL --stdin`.' });
  const { password: clackPassword, isCancel } = await import('@clack/prompts'); // loaded only to ask
  const v = await clackPassword({ message });
  if (isCancel(v)) throw new AiosError('cancelled', 'cancelled; the password is unchanged', { fix: 'Run the command again when ready.' });
  return v;
}

/** Removes the generated first password of `AIOS_HOME/dashboard-logins/<slug>` once that person set their own. */
export function forgetGeneratedLogin(t: Target, email: string): void {
  const file = join(homePaths(t.home).dashboardLogins, t.slug);
  if (existsSync(file) && readFileSync(file, 'utf8').trim().split(/\s+/)[0]?.toLowerCase() === email.toLowerCase()) rmSync(file, { force: true });
}
