import { describe, it, expect, afterAll } from 'vitest';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/test-db.js';
import { withSessionSettings } from './session-options.js';

const t = await createTestDatabase({ migrate: false });
afterAll(() => t.close());

async function show(url: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return String((await c.query(`show ${name}`)).rows[0][name]);
  } finally {
    await c.end();
  }
}

describe('withSessionSettings', () => {
  it('a connection opened with the URL has the setting from its first statement (no SET sent)', async () => {
    const url = withSessionSettings(t.url, { idle_in_transaction_session_timeout: 60_000 });
    expect(await show(url, 'idle_in_transaction_session_timeout')).toBe('1min');
    expect(await show(t.url, 'idle_in_transaction_session_timeout')).toBe('0');
  });

  it('keeps settings the URL already carries, and the operator\'s value wins', async () => {
    const mine = `${t.url}${t.url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c statement_timeout=5000 -c idle_in_transaction_session_timeout=30000')}`;
    const url = withSessionSettings(mine, { idle_in_transaction_session_timeout: 60_000 });
    expect(url).toBe(mine);
    expect(await show(url, 'idle_in_transaction_session_timeout')).toBe('30s');
    expect(await show(url, 'statement_timeout')).toBe('5s');
  });
});
