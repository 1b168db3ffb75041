import type { Command } from 'commander';
import { api, type Target } from './client.js';
import { printTable } from './format.js';
import { slugOf } from './onboard-business.js';

interface AgencyRow {
  slug: string; name: string; role: string; currency: string; runsThisWeek: number; textsSentThisWeek: number; emailsSentThisWeek: number;
  aiCostCentsThisMonth: number; hoursSavedThisMonth: number; moneyRecoveredCentsThisMonth: number; roiThisMonth: number | null;
  connections: Array<{ kind: string; name: string; ok: boolean; status: string; lastError: string | null }>;
  phoneConfigured: boolean; mailConfigured: boolean; approvalsWaiting: number; signalsOpen: number;
}

const money = (cents: number) => (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** One line per business for `aios agency`: the figures in words a terminal fits. */
export function agencyTableRows(rows: AgencyRow[]): Array<Record<string, unknown>> {
  return rows.map((r) => ({
    business: `${r.name} (${r.slug})`,
    role: r.role,
    'runs wk': r.runsThisWeek,
    'sent wk': `${r.textsSentThisWeek} sms, ${r.emailsSentThisWeek} mail`,
    'AI mo': money(r.aiCostCentsThisMonth),
    'hours mo': r.hoursSavedThisMonth,
    'recovered mo': `${money(r.moneyRecoveredCentsThisMonth)} ${r.currency}`,
    ROI: r.roiThisMonth === null ? '—' : `${r.roiThisMonth}×`,
    waiting: r.approvalsWaiting,
    signals: r.signalsOpen,
    health: [
      r.phoneConfigured ? 'phone ok' : 'no phone',
      r.mailConfigured ? 'mail ok' : 'no mail',
      ...r.connections.filter((c) => !c.ok && c.status !== 'disabled').map((c) => `${c.kind} failing: ${c.lastError ?? c.status}`),
    ].join('; '),
  }));
}

/** Flags shared by `business create` and `business clone`. */
interface IdentityFlags { name: string; slug?: string; phone: string; timeZone?: string; ownerName?: string; ownerEmail?: string; json?: boolean }

async function create(t: Target, body: Record<string, unknown>, json?: boolean): Promise<void> {
  const r = await api<{ business: { tenantId: string; slug: string; name: string } }>(t, 'POST', '/api/v1/agency/businesses', body);
  if (json) return void process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  process.stdout.write(`created ${r.business.name} (${r.business.slug}); AIOS loaded it, no restart needed.\n  act on it: aios --tenant ${r.business.slug} status\n  knowledge drafts to fill in: AIOS_HOME/tenants/${r.business.slug}/knowledge (remove draft: true when done)\n`);
}

/**
 * `aios business templates | create | clone` and `aios agency`: the agency console in the
 * terminal, through the running AIOS (`POST /api/v1/agency/businesses`), which validates, writes
 * and loads the business without a restart. The CLI token's user becomes implementer of it.
 */
export function businessCommands(program: Command, target: () => Target): void {
  const business = program.command('business').description('create businesses from templates or by cloning one of yours');
  business
    .command('templates')
    .description('templates a new business can start from')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const r = await api<{ templates: Array<{ id: string; title: string; description: string; knowledge: string[] }> }>(target(), 'GET', '/api/v1/agency/templates');
      printTable(r.templates.map((x) => ({ id: x.id, title: x.title, description: x.description, knowledge: x.knowledge.join(', ') })), ['id', 'title', 'description', 'knowledge'], { json: o.json });
    });
  business
    .command('create')
    .description('a new business from a template (all or nothing: a mistake is named, nothing is left behind)')
    .requiredOption('--template <id>', 'see `aios business templates`')
    .requiredOption('--name <name>', 'the business name')
    .requiredOption('--phone <number>', 'its own number, e.g. +14165550123')
    .requiredOption('--time-zone <tz>', 'IANA time zone, e.g. America/Toronto')
    .requiredOption('--owner-name <name>', "the owner's name")
    .option('--owner-email <email>', "the owner's dashboard login")
    .option('--slug <slug>', 'short name (default: from the name)')
    .option('--json', 'machine-readable output')
    .action(async (o: IdentityFlags & { template: string }) => {
      await create(target(), { template: o.template, name: o.name, slug: o.slug ?? slugOf(o.name), phone: o.phone, timeZone: o.timeZone, ownerName: o.ownerName, ...(o.ownerEmail ? { ownerEmail: o.ownerEmail } : {}) }, o.json);
    });
  business
    .command('clone <from-slug>')
    .description("a new business with the setup of one of yours (settings, policy, playbooks, voice, knowledge, forms); never its records, credentials, numbers or owner")
    .requiredOption('--name <name>', 'the new business name')
    .requiredOption('--slug <slug>', 'its short name')
    .requiredOption('--phone <number>', 'its own number')
    .requiredOption('--owner-name <name>', "the new owner's name (never copied)")
    .option('--owner-email <email>', "the new owner's dashboard login")
    .option('--time-zone <tz>', "default: the source business's")
    .option('--json', 'machine-readable output')
    .action(async (from: string, o: IdentityFlags) => {
      await create(target(), { cloneFrom: from, name: o.name, slug: o.slug, phone: o.phone, ownerName: o.ownerName, ...(o.timeZone ? { timeZone: o.timeZone } : {}), ...(o.ownerEmail ? { ownerEmail: o.ownerEmail } : {}) }, o.json);
    });

  program
    .command('agency')
    .description('every business you own or set up: usage this week, AI cost, hours saved, money recovered and ROI this month, health, what waits')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const r = await api<{ businesses: AgencyRow[] }>(target(), 'GET', '/api/v1/agency/businesses');
      if (o.json) return printTable(r.businesses as unknown as Array<Record<string, unknown>>, [], { json: true });
      printTable(agencyTableRows(r.businesses), ['business', 'role', 'runs wk', 'sent wk', 'AI mo', 'hours mo', 'recovered mo', 'ROI', 'waiting', 'signals', 'health'], { max: 60 });
    });
}
