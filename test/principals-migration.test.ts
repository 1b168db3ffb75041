import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createTestDatabase, insertTenant, type TestDatabase } from './support/test-db.js';
import { migrate } from '../src/store/db.js';
import { hashSecret } from '../src/core/ids.js';
import { authenticateToken } from '../src/records/api-tokens.js';
import { ensureCliTokens } from '../src/server/cli-tokens.js';

/**
 * Migration 0007 on a database that already has tokens (from before principals existed): each old
 * token keeps working with read + propose only, and the CLI token is replaced by an owner token.
 */
let t: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'aios-cli-tokens-'));
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('0007-principals on existing data', () => {
  it('old tokens become integration principals with read + propose; the CLI token is replaced by an all-scope owner token', async () => {
    t = await createTestDatabase({ migrate: false });
    await migrate(t.db, { before: '0007' });
    const tenantId = await insertTenant(t.db, 'oldco', '+14165550700');
    await t.db.insertInto('api_tokens' as any).values({ id: 'tok_zap', tenant_id: tenantId, name: 'zapier', token_hash: hashSecret('aios_old-zapier') } as any).execute();
    await t.db.insertInto('api_tokens' as any).values({ id: 'tok_cli', tenant_id: tenantId, name: 'cli', token_hash: hashSecret('aios_old-cli') } as any).execute();

    await migrate(t.db);

    const zap = await authenticateToken(t.db, 'aios_old-zapier', new Date());
    expect(zap).toMatchObject({ tenantId, scopes: ['read', 'propose'], principal: { kind: 'integration', name: 'zapier', role: null } });

    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'oldco'), 'aios_old-cli\n');
    const tokens = await ensureCliTokens(t.db, dir, [{ id: tenantId, slug: 'oldco', owner: { name: 'Pat' } }]);
    const fresh = tokens.get('oldco')!;
    expect(fresh).not.toBe('aios_old-cli');
    expect(readFileSync(join(dir, 'oldco'), 'utf8').trim()).toBe(fresh);
    expect(await authenticateToken(t.db, 'aios_old-cli', new Date())).toBeNull();
    expect(await authenticateToken(t.db, fresh, new Date())).toMatchObject({ scopes: ['read', 'propose', 'decide', 'admin'], principal: { kind: 'user', name: 'Pat', role: 'owner' } });

    const again = await ensureCliTokens(t.db, dir, [{ id: tenantId, slug: 'oldco', owner: { name: 'Pat' } }]);
    expect(again.get('oldco')).toBe(fresh);
    const owners = await t.db.selectFrom('memberships').select('principal_id').where('tenant_id', '=', tenantId).where('role', '=', 'owner').execute();
    expect(owners).toHaveLength(1);
  });
});
