import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTenantFile, zodProblems, type TenantFile } from '../records/tenant-file.js';
import { missingPolicyFix, parsePolicy } from '../autonomy/policy/load-policy.js';
import type { Policy } from '../autonomy/policy/policy-schema.js';
import type { Playbook } from '../autonomy/engine/define-playbook.js';
import { ConfigError } from '../core/errors.js';
import { didYouMean } from '../core/did-you-mean.js';
import { ROI_CATEGORIES } from '../records/action-minutes.js';

/** The two files of a tenant folder as read from disk, before validation. */
export interface TenantTexts {
  tenantPath: string;
  policyPath: string;
  /** File contents (UTF-8), or null when the file cannot be read. */
  tenant: string | null;
  policy: string | null;
  /** SHA-256 (hex) of each file's text, '' when absent; keys are the paths. */
  fileHash: Record<string, string>;
  /** SHA-256 (hex) of both texts together: unchanged files give the same value. */
  hash: string;
}

/** A tenant folder that passed validation. */
export interface ValidTenantFolder {
  file: TenantFile;
  /** Every playbook's settings, parsed by its schema, defaults filled in; by playbook id. */
  settings: Record<string, unknown>;
  policy: Policy;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Reads `tenant.yaml` and `policy.yaml` of a tenant folder (no validation). */
export function readTenantTexts(dir: string): TenantTexts {
  const tenantPath = join(dir, 'tenant.yaml');
  const policyPath = join(dir, 'policy.yaml');
  const tenant = readOrNull(tenantPath);
  const policy = readOrNull(policyPath);
  return {
    tenantPath, policyPath, tenant, policy,
    fileHash: { [tenantPath]: tenant === null ? '' : sha256(tenant), [policyPath]: policy === null ? '' : sha256(policy) },
    hash: sha256(`${tenant ?? '\0'}\0${policy ?? '\0'}`),
  };
}

/**
 * Validates a tenant folder exactly as start-up does: tenant.yaml (its slug must be the folder's
 * name), every playbook's settings section, and policy.yaml.
 * @throws ConfigError naming the file and every problem found in it (tenant.yaml is checked whole
 *   before policy.yaml).
 */
export function validateTenantFolder(slug: string, texts: TenantTexts, playbooks: Playbook[]): ValidTenantFolder {
  const { tenantPath, policyPath } = texts;
  if (texts.tenant === null) throw new ConfigError(tenantPath, '', 'file does not exist or cannot be read', `Create ${tenantPath} (copy demo/tenants/ or docs for the keys), then start AIOS again.`);
  // Every problem of tenant.yaml is collected, so one start names them all.
  const check = checkTenantFile(texts.tenant, tenantPath);
  const problems = [...check.problems];
  const rawFile = (check.raw && typeof check.raw === 'object' ? check.raw : {}) as { slug?: unknown; playbooks?: unknown };
  if (typeof rawFile.slug === 'string' && rawFile.slug !== slug) problems.push({ field: 'slug', problem: `is "${rawFile.slug}" but the folder is "${slug}"; rename the folder or set slug: ${slug}` });
  const raw = (rawFile.playbooks && typeof rawFile.playbooks === 'object' ? rawFile.playbooks : {}) as Record<string, unknown>;
  const ids = [...new Set(playbooks.map((p) => p.id))];
  for (const key of Object.keys(raw)) {
    if (!ids.includes(key)) problems.push({ field: `playbooks.${key}`, problem: `no playbook named "${key}"${didYouMean(key, ids)} (known playbooks: ${ids.join(', ')})` });
  }
  // roi.minutes names ledger categories (src/records/action-minutes.ts); a typo would silently keep the default.
  const roi = (check.raw as { roi?: { minutes?: unknown } } | undefined)?.roi;
  if (roi?.minutes && typeof roi.minutes === 'object') {
    for (const key of Object.keys(roi.minutes)) {
      if (!ROI_CATEGORIES.includes(key)) problems.push({ field: `roi.minutes.${key}`, problem: `no action kind named "${key}"${didYouMean(key, ROI_CATEGORIES)} (known: ${ROI_CATEGORIES.join(', ')})` });
    }
  }
  // Every playbook's settings are validated here, defaults filled in for absent sections;
  // runs and webhooks read the parsed values. The versions of one playbook share its section: it is
  // validated once, by the newest version's schema.
  const settings: Record<string, unknown> = {};
  const newest = new Map<string, Playbook>();
  for (const pb of playbooks) if ((newest.get(pb.id)?.version ?? 0) < pb.version) newest.set(pb.id, pb);
  for (const pb of newest.values()) {
    const res = pb.settings.safeParse(raw[pb.id] ?? {});
    if (!res.success) {
      for (const p of zodProblems(res.error, pb.settings)) problems.push({ field: `playbooks.${pb.id}${p.field ? `.${p.field}` : ''}`, problem: p.problem });
    } else settings[pb.id] = res.data;
  }
  if (problems.length > 0 || !check.file) throw ConfigError.of(tenantPath, problems);
  const file = check.file;
  if (texts.policy === null) throw new ConfigError(policyPath, '', 'file does not exist', missingPolicyFix(policyPath));
  const policy = parsePolicy(texts.policy, policyPath);
  return { file, settings, policy };
}
