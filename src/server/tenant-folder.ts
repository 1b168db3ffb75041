import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTenantFile, zodToConfigError, type TenantFile } from '../records/tenant-file.js';
import { parsePolicy } from '../autonomy/policy/load-policy.js';
import type { Policy } from '../autonomy/policy/policy-schema.js';
import type { Playbook } from '../autonomy/engine/define-playbook.js';
import { ConfigError } from '../core/errors.js';
import { didYouMean } from '../core/did-you-mean.js';

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
 * @throws ConfigError naming the file, the dotted field and the problem (the first one found).
 */
export function validateTenantFolder(slug: string, texts: TenantTexts, playbooks: Playbook[]): ValidTenantFolder {
  const { tenantPath, policyPath } = texts;
  if (texts.tenant === null) throw new ConfigError(tenantPath, '', 'file does not exist or cannot be read');
  const file = parseTenantFile(texts.tenant, tenantPath);
  if (file.slug !== slug) throw new ConfigError(tenantPath, 'slug', `is "${file.slug}" but the folder is "${slug}"`, `Rename the folder or set slug: ${slug}.`);
  const raw = (file as { playbooks?: Record<string, unknown> }).playbooks ?? {};
  const ids = [...new Set(playbooks.map((p) => p.id))];
  for (const key of Object.keys(raw)) {
    if (!ids.includes(key)) throw new ConfigError(tenantPath, `playbooks.${key}`, `no playbook named "${key}"${didYouMean(key, ids)}`, `Known playbooks: ${ids.join(', ')}.`);
  }
  // Every playbook's settings are validated here, defaults filled in for absent sections;
  // runs and webhooks read the parsed values.
  const settings: Record<string, unknown> = {};
  for (const pb of playbooks) {
    const res = pb.settings.safeParse(raw[pb.id] ?? {});
    if (!res.success) {
      const e = zodToConfigError(tenantPath, res.error, pb.settings);
      throw new ConfigError(tenantPath, `playbooks.${pb.id}${e.field ? `.${e.field}` : ''}`, e.problem);
    }
    settings[pb.id] = res.data;
  }
  if (texts.policy === null) throw new ConfigError(policyPath, '', 'file does not exist', `Create ${policyPath} (AIOS can write a default one), then start AIOS again.`);
  const policy = parsePolicy(texts.policy, policyPath);
  return { file, settings, policy };
}
