import { describe, it, expect, afterAll } from 'vitest';
import { createTestDatabase, insertTenant } from '../../../test/support/test-db.js';
import { requestApproval, findByToken } from './approvals.js';
import { ApprovalLinks } from './approval-links.js';

const t = await createTestDatabase();
afterAll(() => t.close());
const links = new ApprovalLinks(Buffer.alloc(32, 3), () => 'https://aios.example');

describe('requestApproval', () => {
  it('run again for the same step (a re-run after a crash), it returns the same approval and the same working token', async () => {
    const tenant = await insertTenant(t.db, 'acme', '+14165550100');
    await t.db.insertInto('runs').values({ id: 'run1', tenant_id: tenant, playbook: 'p', version: 1, status: 'running', trigger_type: 'signal', trigger_ref: 's' }).execute();
    const req = { tenantId: tenant, runId: 'run1', stepId: 'text-back', actionKind: 'sms.send', recipient: '+14165550160', proposal: { body: 'hi' }, reasons: [], deadline: new Date(Date.now() + 3_600_000), linkExpiresAt: new Date(Date.now() + 3_600_000) };
    const first = await requestApproval(t.db, links, req);
    const again = await requestApproval(t.db, links, req);
    expect(again).toEqual(first);
    expect((await findByToken(t.db, first.token))?.id).toBe(first.approvalId);
    const row = await t.db.selectFrom('approvals').selectAll().where('id', '=', first.approvalId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(first.token);
    expect(row.short_code).toMatch(/^[A-HJ-NP-Z][2-9][A-HJ-NP-Z]$/);
  });
});
