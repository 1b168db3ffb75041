import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { zodToConfigError } from '../../records/tenant-file.js';

/**
 * `forms.yaml` in a tenant's folder (optional): web-lead settings.
 *
 * ```yaml
 * forms:
 *   secret: "a long random string"   # HMAC-SHA256 key of POST /hooks/forms/<slug>; ≥ 24 characters
 * widget:
 *   enabled: true                    # the embeddable chat + lead widget (default true)
 * ```
 * Without the file (or without `forms:`) the signed form webhook answers 404; the widget stays on.
 */
export const FormsFileSchema = z
  .object({
    forms: z
      .object({
        secret: z.string().min(24, 'must be at least 24 characters (generate one with `openssl rand -hex 32`)'),
      })
      .strict()
      .optional(),
    widget: z.object({ enabled: z.boolean().default(true) }).strict().default({ enabled: true }),
  })
  .strict();

export type FormsFile = z.infer<typeof FormsFileSchema>;

/** The settings used when a tenant has no `forms.yaml`. */
export const NO_FORMS_FILE: FormsFile = { widget: { enabled: true } };

/**
 * Parses and validates the text of a forms.yaml.
 * @throws ConfigError naming the file and the dotted field.
 */
export function parseFormsFile(text: string, file: string): FormsFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(file, '', `YAML does not parse: ${(err as Error).message}`);
  }
  const res = FormsFileSchema.safeParse(raw ?? {});
  if (!res.success) throw zodToConfigError(file, res.error, FormsFileSchema);
  return res.data;
}

/**
 * Reads `<tenantDir>/forms.yaml` on demand and keeps it until the file's mtime or size changes, so
 * an owner can add or rotate the secret without restarting AIOS. One `stat` per call.
 */
export class FormsFileCache {
  private readonly entries = new Map<string, { mtimeMs: number; size: number; value: FormsFile }>();

  /**
   * The tenant's form settings, or {@link NO_FORMS_FILE} when the file does not exist.
   * @throws ConfigError when the file exists but is invalid (the caller answers 500 with the fix).
   */
  get(tenantDir: string): FormsFile {
    const file = join(tenantDir, 'forms.yaml');
    let st: { mtimeMs: number; size: number };
    try {
      st = statSync(file);
    } catch {
      this.entries.delete(file);
      return NO_FORMS_FILE;
    }
    const hit = this.entries.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.value;
    const value = parseFormsFile(readFileSync(file, 'utf8'), file);
    this.entries.set(file, { mtimeMs: st.mtimeMs, size: st.size, value });
    return value;
  }
}
