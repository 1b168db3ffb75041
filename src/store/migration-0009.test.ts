import { describe, it, expect, afterAll } from 'vitest';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { migrate } from './db.js';
import { hashSecret } from '../core/ids.js';
import { findByToken } from '../autonomy/approvals/approvals.js';

const t = await createTestDatabase({ migrate: false });
afterAll(() => t.close());

/** Migrates to just before 0009, as a database of the previous release. */
async function migrateBefore0009(): Promise<void> {
  await migrate(t.db, { before: '0009' });
}

describe('migration 0009 on a database with approvals', () => {
  it('gives pending approvals distinct short codes and keeps their old links working', async () => {
    await migrateBefore0009();
    const tenants = [await insertTenant(t.db, 'one', '+14165550101'), await insertTenant(t.db, 'two', '+14165550102')];
    const deadline = new Date(Date.now() + 86_400_000);
    let n = 0;
    for (const [tenant, status] of [[tenants[0], 'pending'], [tenants[0], 'pending'], [tenants[0], 'approved'], [tenants[1], 'pending']] as const) {
      n++;
      await t.db.insertInto('runs').values({ id: `r${n}`, tenant_id: tenant!, playbook: 'p', version: 1, status: 'waiting', trigger_type: 'signal', trigger_ref: 's' }).execute();
      await t.db.insertInto('approvals').values({
        id: `ap${n}`, tenant_id: tenant!, run_id: `r${n}`, step_id: 'x', action_kind: 'sms.send', recipient: '+14165550199',
        proposal: '{}', reasons: '[]', status, token_hash: hashSecret(`old-token-${n}`), token_expires_at: deadline, deadline,
      } as never).execute();
    }
    await migrate(t.db);
    const rows = await t.db.selectFrom('approvals').select(['id', 'tenant_id', 'status', 'short_code', 'link_nonce']).orderBy('id').execute();
    const pendingOne = rows.filter((r) => r.tenant_id === tenants[0] && r.status === 'pending').map((r) => r.short_code);
    expect(pendingOne).toHaveLength(2);
    for (const c of pendingOne) expect(c).toMatch(/^[A-HJ-NP-Z][2-9][A-HJ-NP-Z]$/);
    expect(new Set(pendingOne).size).toBe(2);
    expect(rows.find((r) => r.id === 'ap3')!.short_code).toBeNull();
    expect(rows.find((r) => r.id === 'ap4')!.short_code).not.toBeNull();
    expect(rows.every((r) => r.link_nonce === null)).toBe(true);
    expect((await findByToken(t.db, 'old-token-1'))?.id).toBe('ap1');
  });
});
