import type { MiddlewareHandler } from 'hono';
import { needsCleaning } from '../../core/clean-text.js';

function decoded(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
}

/**
 * Refuses (400) a URL whose path or query, once decoded, holds a control character or another
 * code point that `core/clean-text.ts` removes (`%00` in an id or a search would otherwise reach
 * PostgreSQL, which refuses U+0000, as a 500). Names the part: `path` or the query parameter.
 */
export function urlGuard(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    let where: string | null = needsCleaning(decoded(url.pathname)) ? 'the path' : null;
    if (!where) {
      for (const pair of url.search.slice(1).split('&')) {
        const [k = '', v = ''] = pair.split('=');
        if (needsCleaning(decoded(k)) || needsCleaning(decoded(v))) {
          where = `query parameter "${decoded(k).replace(/[^\w.-]/g, '?').slice(0, 40)}"`;
          break;
        }
      }
    }
    if (where) return c.json({ error: 'bad_input', message: `${where} holds a control character (such as %00)`, fix: 'Remove control characters from the URL.' }, 400);
    return next();
  };
}
