import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A library loaded the first time it is used, synchronously (through its CommonJS build), for code
 * that cannot await. Large libraries that most processes never touch (date parsing of replies,
 * public-holiday tables, mail transports) stay out of an idle process's memory this way. Use only
 * for packages that ship a CommonJS entry; an async caller should `await import()` instead.
 * @returns a function that returns the loaded module (loaded once).
 */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(specifier) as T);
}
