import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The folder of shared public test data (`../shared/data` beside the checkout). `AIOS_SHARED_DATA`
 * overrides it; `/work/shared/data` is tried last. Returns null when none exists.
 */
export function sharedDataDir(): string | null {
  const candidates = [process.env.AIOS_SHARED_DATA, join(ROOT, '..', 'shared', 'data'), '/work/shared/data'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Path of a shared data file, or null (and a clear message) when the data is absent. In CI
 * (`CI` set) absence is an error, never a skip.
 */
export function sharedDataFile(rel: string): string | null {
  const dir = sharedDataDir();
  const path = dir ? join(dir, rel) : null;
  if (path && existsSync(path)) return path;
  const msg = `shared test data ${rel} not found (looked in AIOS_SHARED_DATA, ../shared/data, /work/shared/data)`;
  if (process.env.CI) throw new Error(`${msg}; CI must provide it`);
  console.warn(`[skip] ${msg}`);
  return null;
}
