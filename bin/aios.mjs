#!/usr/bin/env node
// The `aios` command. Runs the compiled build (dist/, made by `npm run build:server` at install)
// when it is newer than every source file; otherwise the TypeScript sources through tsx's loader
// (after an edit, before the next build). Set AIOS_FROM_SOURCE=1 to always run the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Newest modification time (ms) of any file under `dir`. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const stamp = join(root, 'dist', '.built');
const compiled = !process.env.AIOS_FROM_SOURCE && existsSync(stamp) && statSync(stamp).mtimeMs >= newest(join(root, 'src'));
if (compiled) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
