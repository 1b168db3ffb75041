import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeEmail } from '../actions/propose-email.js';
import { DOCUMENT_REQUESTED } from '../../awareness/document-qc-signals.js';
import { audit } from '../../records/audit.js';
import { voiceLines } from '../back-office/voice-lines.js';
import { loadChecklists } from '../document-qc/checklist.js';
import { requestLines } from '../document-qc/request-email.js';
import '../document-qc/tables.js';

/** Settings under `playbooks.document-request` in tenant.yaml. */
export const DocumentRequestSettings = z.object({ enabled: z.boolean().default(true) }).strict();

/**
 * Requests documents from a client (`document_requested`, raised when staff choose "request" on a
 * package's exception). Steps: `gather` (package, client email, the requested exceptions),
 * `send.*` (email to the client listing what is needed in the checklist's own words — never text
 * read from the client's documents — **always** after approval by someone other than the one
 * who asked, whatever the policy says), `record` (audit).
 */
export const documentRequest = definePlaybook({
  id: 'document-request',
  version: 1,
  title: 'Request documents from a client',
  trigger: { signal: DOCUMENT_REQUESTED },
  settings: DocumentRequestSettings,
  minutesPerRun: 5,
  async run(ctx, input) {
    const { db } = ctx.deps;
    const tenant = ctx.tenant;
    const packageId = typeof input.data.packageId === 'string' ? input.data.packageId : '';
    const ids = Array.isArray(input.data.exceptionIds) ? input.data.exceptionIds.filter((x): x is string => typeof x === 'string') : [];
    const g = await ctx.step('gather', async () => {
      const pkg = await db.selectFrom('docqc_packages').select(['name', 'client_email', 'checklist_id', 'borrowers']).where('tenant_id', '=', tenant.id).where('id', '=', packageId).executeTakeFirst();
      if (!pkg?.client_email) return { ok: false as const, why: pkg ? 'the package has no client email' : 'no such package' };
      const exs = ids.length ? await db.selectFrom('docqc_exceptions').select(['kind', 'item']).where('package_id', '=', packageId).where('id', 'in', ids).execute() : [];
      const checklist = loadChecklists(tenant.dir).get(pkg.checklist_id);
      const voice = await voiceLines(db, tenant, null);
      return { ok: true as const, to: pkg.client_email, name: pkg.name, lines: requestLines(exs, checklist), greeting: voice.greeting, signOff: voice.signOff };
    });
    if (!g.ok) {
      await ctx.step('skip', () => audit(db, tenant.id, 'playbook', 'document_request.skipped', packageId, { reason: g.why }).then(() => true));
      return { summary: `no request: ${g.why}`, resolved: true };
    }
    const body = [g.greeting, '', 'To finish your mortgage file we still need:', '', ...g.lines.map((l) => `- ${l}`), '', 'You can reply to this email with the documents attached.', '', g.signOff].join('\n');
    const out = await proposeEmail(ctx, 'send', {
      to: g.to, subject: `${tenant.name}: documents needed for ${g.name}`.slice(0, 200), body, approval: 'always',
      context: `document request for package "${g.name}" (${g.lines.length} item(s))`,
    });
    await ctx.step('record', () => audit(db, tenant.id, 'playbook', `document_request.${out.status}`, packageId, { to: g.to, items: g.lines.length }).then(() => out.status));
    return { summary: `document request ${out.status}${out.status === 'sent' ? ` to ${g.to}` : ''}`, resolved: true };
  },
});
