import type { Command } from 'commander';
import { AiosError } from '../core/errors.js';
import { api, type Target } from './client.js';
import { printTable } from './format.js';
import { askPassword, forgetGeneratedLogin, readStdin } from './password-input.js';

/** Parses `--expires 30d` (or `30`) into whole days; anything else is an error naming the flag. */
export function parseExpiryDays(raw: string): number {
  const m = /^(\d{1,4})d?$/.exec(raw.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new AiosError('bad_input', `--expires must be a number of days such as 30d (1 to 3650), got "${raw}"`, { fix: 'Use e.g. --expires 30d.' });
  return n;
}

/**
 * `aios token create|list|revoke` and `aios user add|list|remove`: people, machine principals and
 * their scoped tokens. The CLI acts as the business's owner (its token holds every scope).
 */
export function accessCommands(program: Command, target: () => Target): void {
  const token = program.command('token').description('API tokens: who they act as, their scopes, expiry, last use');
  token
    .command('create')
    .description('a new API token (shown once); by default for an assistant principal with read + propose')
    .option('--name <label>', 'what the token is for (also the machine principal’s name)', 'api')
    .option('--kind <kind>', 'assistant | integration (a machine principal of that name is created if missing)')
    .option('--principal <id>', 'an existing principal instead (a user or machine; see `aios user list`, `aios token list`)')
    .option('--scopes <list>', 'comma-separated: read, propose, decide, admin (assistants: at most read,propose)')
    .option('--expires <days>', 'expire after this many days, e.g. 30d')
    .option('--json', 'machine-readable output')
    .action(async (o: { name: string; kind?: string; principal?: string; scopes?: string; expires?: string; json?: boolean }) => {
      const body: Record<string, unknown> = { name: o.name };
      if (o.kind) body.kind = o.kind;
      if (o.principal) body.principal = o.principal;
      if (o.scopes) body.scopes = o.scopes.split(',').map((x) => x.trim());
      if (o.expires) body.expiresInDays = parseExpiryDays(o.expires);
      const r = await api<{ id: string; token: string; scopes: string[]; principal: { kind: string; name: string }; expiresAt: string | null }>(target(), 'POST', '/api/v1/tokens', body);
      process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : `${r.token}\n(shown once; id ${r.id}; ${r.principal.kind} "${r.principal.name}"; scopes ${r.scopes.join(',')}${r.expiresAt ? `; expires ${r.expiresAt}` : ''})\n`);
    });
  token
    .command('list')
    .description('every token of the business (never the secret)')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const r = await api<{ tokens: Array<Record<string, any>> }>(target(), 'GET', '/api/v1/tokens');
      const rows = r.tokens.map((t) => ({ ...t, principal: `${t.principal.kind}:${t.principal.name}${t.principal.role ? ` (${t.principal.role})` : ''}`, scopes: t.scopes.join(',') }));
      printTable(o.json ? r.tokens : rows, ['id', 'name', 'principal', 'scopes', 'status', 'last_used_at', 'expires_at'], { json: o.json });
    });
  token
    .command('revoke <id>')
    .description('revoke a token: refused from the next request on')
    .action(async (id: string) => {
      const r = await api<{ alreadyRevoked: boolean }>(target(), 'POST', `/api/v1/tokens/${encodeURIComponent(id)}/revoke`, {});
      process.stdout.write(r.alreadyRevoked ? `${id} was already revoked\n` : `revoked ${id}\n`);
    });

  const user = program.command('user').description('people of the business: owner, staff, implementer');
  user
    .command('password <email>')
    .description('set a dashboard password (asked for, or read from stdin with --stdin); logs that person out everywhere')
    .option('--stdin', 'read the password from standard input (for scripts)')
    .action(async (email: string, o: { stdin?: boolean }) => {
      const r = await api<{ users: Array<{ id: string; email: string | null; name: string }> }>(target(), 'GET', '/api/v1/users');
      const person = r.users.find((u) => u.email?.toLowerCase() === email.trim().toLowerCase());
      if (!person) throw new AiosError('not_found', `no user of this business has the email ${email}`, { fix: 'See `aios user list`; add them with `aios user add`.' });
      const password = o.stdin ? (await readStdin()).replace(/\r?\n$/, '') : await askPassword(`New dashboard password for ${person.name} (at least 10 characters): `);
      await api(target(), 'PUT', `/api/v1/users/${encodeURIComponent(person.id)}/password`, { password });
      forgetGeneratedLogin(target(), person.email!);
      process.stdout.write(`password set for ${person.name} (${person.email}); their other logins were ended\n`);
    });
  user
    .command('add')
    .requiredOption('--name <name>', 'the person’s name')
    .requiredOption('--email <email>', 'their email (identifies them across businesses)')
    .requiredOption('--role <role>', 'owner | staff | implementer')
    .option('--json', 'machine-readable output')
    .action(async (o: { name: string; email: string; role: string; json?: boolean }) => {
      const r = await api<{ user: Record<string, unknown> }>(target(), 'POST', '/api/v1/users', { name: o.name, email: o.email, role: o.role });
      process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : `added ${String(r.user.name)} as ${String(r.user.role)} (id ${String(r.user.id)}); give them a token with \`aios token create --principal ${String(r.user.id)} --name …\`\n`);
    });
  user
    .command('list')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const r = await api<{ users: Array<Record<string, unknown>> }>(target(), 'GET', '/api/v1/users');
      printTable(r.users, ['id', 'name', 'email', 'role', 'created_at'], { json: o.json });
    });
  user
    .command('remove <id>')
    .description('remove a person from this business and revoke their tokens here')
    .action(async (id: string) => {
      const r = await api<{ user: { name: string }; revokedTokens: number }>(target(), 'DELETE', `/api/v1/users/${encodeURIComponent(id)}`);
      process.stdout.write(`removed ${r.user.name}; ${r.revokedTokens} token(s) revoked\n`);
    });
}
