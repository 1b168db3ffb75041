import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { TenantInfo } from '../records/tenants.js';
import type { Playbook } from '../autonomy/engine/define-playbook.js';
import { ConfigError } from '../core/errors.js';
import type { ConfigProblem } from '../core/errors.js';
import type { TenantRegistry } from './tenant-registry.js';
import { readTenantTexts, validateTenantFolder } from './tenant-folder.js';

/** A tenant file change refused by the start-up validation: every problem, nothing written. */
export class TenantFileRefused extends Error {
  constructor(readonly file: string, readonly problems: readonly ConfigProblem[], readonly fix: string) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  }
}

/**
 * Replaces `tenant.yaml` or `policy.yaml` of a business with `text`, validated exactly as at
 * start-up first (both files together, with the new text in place of the old): a refused text
 * throws {@link TenantFileRefused} with every problem and the file is left untouched. An accepted
 * text is written atomically (temp file + rename) and the tenant reloaded at once; if the reload
 * still refuses it (a race with a hand edit), the previous text is put back.
 * @returns the previous text of the file.
 */
export async function writeTenantFile(tenants: TenantRegistry, playbooks: Playbook[], tenant: TenantInfo, which: 'tenant' | 'policy', text: string): Promise<string> {
  const texts = readTenantTexts(tenant.dir);
  const path = which === 'tenant' ? texts.tenantPath : texts.policyPath;
  const candidate = { ...texts, [which]: text };
  try {
    validateTenantFolder(tenant.slug, candidate, playbooks);
  } catch (err) {
    if (err instanceof ConfigError) throw new TenantFileRefused(which === 'tenant' ? 'tenant.yaml' : 'policy.yaml', err.problems, 'Correct each field listed and save again; the file was not changed.');
    throw err;
  }
  const before = readFileSync(path, 'utf8');
  writeAtomically(path, text);
  const res = await tenants.reload(tenant.slug);
  if (res.status === 'invalid') {
    writeAtomically(path, before);
    await tenants.reload(tenant.slug);
    throw new TenantFileRefused(which === 'tenant' ? 'tenant.yaml' : 'policy.yaml', res.error.problems, res.error.fix || 'Correct the file and save again.');
  }
  return before;
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
