/**
 * The keys a zod object schema accepts at a path, for "unknown key … did you mean" messages.
 * Looks through `.default()`, `.optional()`, `.nullable()`, pipes, arrays and records.
 */
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let i = 0; i < 20; i++) {
    const d = defOf(cur);
    const next = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

/**
 * @param schema the file's schema.
 * @param path the issue path of the object that has the unknown key (`[]` for the top level).
 * @returns the accepted keys there, or undefined when the path does not lead to an object schema.
 */
export function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let cur: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    const d = defOf(cur);
    if (d.type === 'object') cur = d.shape?.[String(seg)];
    else if (d.type === 'array') cur = d.element;
    else if (d.type === 'record') cur = d.valueType;
    else if (d.type === 'union') cur = d.options?.find((o) => defOf(unwrap(o)).type === 'object');
    else return undefined;
    if (!cur) return undefined;
    cur = unwrap(cur);
  }
  const d = defOf(cur);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : undefined;
}
