import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';

/** The templates shipped with AIOS: `<repo>/templates/<id>/` (see templates/README.md). */
export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../templates');

/** A template as listed: its folder name and what `template.yaml` says. */
export interface BusinessTemplate {
  id: string;
  title: string;
  description: string;
  /** Knowledge files it ships (relative to `knowledge/`), all drafts to fill in. */
  knowledge: string[];
  dir: string;
}

const TemplateMeta = z.object({ title: z.string().min(1), description: z.string().default('') }).strict();

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.isSymbolicLink()) return [];
    if (d.isDirectory()) return listFiles(join(dir, d.name), `${prefix}${d.name}/`);
    return d.isFile() ? [`${prefix}${d.name}`] : [];
  }).sort();
}

/**
 * Every template folder that has a `tenant.yaml`, by id. A broken `template.yaml` lists the folder name as its title.
 */
export function listTemplates(root: string = TEMPLATES_DIR): BusinessTemplate[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'tenant.yaml')))
    .map((d) => {
      const dir = join(root, d.name);
      let meta = { title: d.name, description: '' };
      try {
        meta = TemplateMeta.parse(parseYaml(readFileSync(join(dir, 'template.yaml'), 'utf8')) ?? {});
      } catch {
        // listed under its folder name; creating from it still validates every file
      }
      return { id: d.name, ...meta, knowledge: listFiles(join(dir, 'knowledge')), dir };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The template with this id. @throws NotFoundError naming the known ones in its fix. */
export function findTemplate(id: string, root: string = TEMPLATES_DIR): BusinessTemplate {
  const all = listTemplates(root);
  const t = all.find((x) => x.id === id);
  if (!t) throw new InputError(`no template "${id.slice(0, 60)}"`, { status: 404, code: 'not_found', fix: `Pick one of: ${all.map((x) => x.id).join(', ') || 'none shipped'} (aios business templates).` });
  return t;
}

/** Lists the files of a folder (relative paths, sorted), symbolic links skipped. */
export { listFiles };
