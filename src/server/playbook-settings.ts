import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Playbook } from '../autonomy/engine/define-playbook.js';
import type { TenantInfo } from '../records/tenants.js';
import { InputError } from '../core/errors.js';
import { zodProblems } from '../records/tenant-file.js';
import type { TenantRegistry } from './tenant-registry.js';

/**
 * Changes a playbook's settings in the owner's own file, `tenant.yaml` (`playbooks.<id>.<key>`),
 * so the file stays the one source of truth: the owner reads there what the API set, a later edit
 * by hand wins, and nothing is hidden in a database table. The file is edited with the `yaml`
 * Document API (comments, order and formatting of everything else are kept), written atomically
 * (temp file + rename), and the tenant is reloaded at once; if the reload refuses it (it should
 * not: the patch was validated first) the previous text is put back.
 * @param patch keys of the playbook's settings schema and their new values.
 * @returns the playbook's settings as now in force (defaults filled in).
 * @throws InputError (400) naming the field and what to do when the schema refuses the result.
 */
export async function updatePlaybookSettings(tenants: TenantRegistry, tenant: TenantInfo, pb: Playbook, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
  const current = (tenant.playbookSettings[pb.id] ?? {}) as Record<string, unknown>;
  const parsed = pb.settings.safeParse({ ...current, ...patch });
  if (!parsed.success) {
    const [p] = zodProblems(parsed.error, pb.settings);
    const field = p?.field ? `playbooks.${pb.id}.${p.field}` : `playbooks.${pb.id}`;
    throw new InputError(`${field}: ${p?.problem ?? parsed.error.issues[0]?.message ?? 'invalid'}`, {
      fix: `Send a valid value for ${field} (current settings: ${JSON.stringify(current)}), e.g. aios playbooks set ${pb.id} key=value.`,
    });
  }
  const path = join(tenant.dir, 'tenant.yaml');
  const before = readFileSync(path, 'utf8');
  const doc = parseDocument(before);
  if (!doc.has('playbooks') || doc.get('playbooks') === null) doc.set('playbooks', doc.createNode({}));
  for (const [key, value] of Object.entries(patch)) doc.setIn(['playbooks', pb.id, key], value);
  writeAtomically(path, doc.toString());
  const res = await tenants.reload(tenant.slug);
  if (res.status === 'invalid') {
    writeAtomically(path, before);
    await tenants.reload(tenant.slug);
    throw new InputError(`tenant.yaml refused the change: ${res.error.message}`, { fix: res.error.fix || 'Correct tenant.yaml by hand and try again.' });
  }
  return (tenants.get(tenant.id).playbookSettings[pb.id] ?? parsed.data) as Record<string, unknown>;
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
