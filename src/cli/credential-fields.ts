import type { z } from 'zod';
import { AiosError } from '../core/errors.js';

/** One credential a connector asks for, read from its zod schema. */
export interface CredentialField {
  /** Key in the credentials object, e.g. `allowSelfSigned`. */
  key: string;
  /** Its command-line flag, e.g. `--allow-self-signed`. */
  flag: string;
  type: 'string' | 'number' | 'boolean' | 'json';
  /** The schema's default, shown in prompts (`port [993]:`). */
  default?: unknown;
  /** Neither required nor defaulted. */
  optional: boolean;
  /** Never echoed, never taken as a plain flag value (use `--<flag>-env VAR` or `--<flag>-stdin`). */
  secret: boolean;
}

const SECRET = /pass|secret|token|key/i;
const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The fields of a connector's credentials schema (a zod object, possibly refined), in order. */
export function credentialFields(schema: z.ZodType): CredentialField[] {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.entries(shape).map(([key, field]) => {
    let def = (field as unknown as { _zod: { def: Record<string, any> } })._zod.def;
    let dflt: unknown;
    let optional = false;
    while (def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'prefault') {
      if (def.type === 'default' || def.type === 'prefault') dflt = typeof def.defaultValue === 'function' ? def.defaultValue() : def.defaultValue;
      else optional = true;
      def = def.innerType._zod.def;
    }
    const type = def.type === 'number' || def.type === 'int' ? 'number' : def.type === 'boolean' ? 'boolean' : def.type === 'string' ? 'string' : 'json';
    return { key, flag: `--${kebab(key)}`, type, default: dflt, optional: optional && dflt === undefined, secret: SECRET.test(key) };
  });
}

/** Turns typed text into the field's type; a clear error names the field when it does not fit. */
export function parseFieldValue(f: CredentialField, text: string): unknown {
  const v = text.trim();
  if (f.type === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(v)) throw new AiosError('bad_input', `${f.key} must be a number, got "${v}"`, { fix: `Give ${f.flag} a number${f.default !== undefined ? ` (default ${String(f.default)})` : ''}.` });
    return Number(v);
  }
  if (f.type === 'boolean') {
    if (/^(true|yes|y|1)$/i.test(v)) return true;
    if (/^(false|no|n|0)$/i.test(v)) return false;
    throw new AiosError('bad_input', `${f.key} must be yes or no, got "${v}"`, { fix: `Answer yes/no (or true/false) for ${f.key}.` });
  }
  if (f.type === 'json') {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw new AiosError('bad_input', `${f.key} must be JSON, got "${v}"`, { fix: `Give ${f.flag} a JSON value, e.g. ${f.flag} '{"…": …}'.` });
    }
  }
  return v;
}

/** How a field is shown in a prompt: `port [993]: `, `smtp (JSON, optional): `. */
export function promptFor(f: CredentialField): string {
  const notes = [f.type === 'json' ? 'JSON' : f.type === 'boolean' ? 'yes/no' : '', f.optional ? 'optional' : ''].filter(Boolean).join(', ');
  const dflt = f.default !== undefined ? ` [${f.type === 'boolean' ? (f.default ? 'yes' : 'no') : String(f.default)}]` : '';
  return `${f.key}${notes ? ` (${notes})` : ''}${dflt}: `;
}
