import { describe, it, expect, afterAll } from 'vitest';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { createTestDatabase, insertTenant } from '../../../test/support/test-db.js';
import { SecretBox, SecretDecryptError } from './secret-box.js';
import { createConnection, getConnection, readCredentials } from './connections.js';
import { upgradeLegacyCredentials } from './credential-upgrade.js';

/**
 * Sealed credentials are bound to the row they belong to (tenant + connection): someone who can
 * write to the database cannot move a ciphertext from one connection (or business) to another
 * and have AIOS use it there.
 */
const t = await createTestDatabase();
afterAll(() => t.close());
const key = randomBytes(32);
const box = new SecretBox(key);
const alpha = await insertTenant(t.db, 'alphaco', '+14165550301');
const beta = await insertTenant(t.db, 'betaco', '+14165550302');
const silent = { info() {}, warn() {} };

const copyCredentials = (from: string, to: string) =>
  t.db.updateTable('connections').set({ credentials_encrypted: t.db.selectFrom('connections').select('credentials_encrypted').where('id', '=', from) }).where('id', '=', to).execute();

/** An envelope exactly as AIOS wrote it before binding (format aios-sb1, constant associated data). */
function legacyEnvelope(plaintext: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from('aios-sb1'));
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  const kid = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return ['aios-sb1', kid, iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

describe('credentials bound to their connection', () => {
  it('a ciphertext copied to another connection of the same business does not open there', async () => {
    const real = await createConnection(t.db, box, { tenantId: alpha, kind: 'stripe', name: 'Stripe', credentials: { webhookSecret: 'whsec_real' } });
    const other = await createConnection(t.db, box, { tenantId: alpha, kind: 'stripe', name: 'Other', credentials: { webhookSecret: 'whsec_other' } });
    expect(real.credentials_encrypted).toMatch(/^aios-sb2\./);
    await copyCredentials(real.id, other.id);
    const copied = await getConnection(t.db, alpha, other.id);
    const err = (() => { try { readCredentials(box, copied); } catch (e) { return e; } })() as SecretDecryptError;
    expect(err).toBeInstanceOf(SecretDecryptError);
    expect(err.message).toMatch(/another connection|modified/);
    expect(err.fix).toMatch(/credentials again/);
    expect(readCredentials(box, await getConnection(t.db, alpha, real.id))).toEqual({ webhookSecret: 'whsec_real' });
  });

  it('a ciphertext copied to a connection of another business does not open there', async () => {
    const mine = await createConnection(t.db, box, { tenantId: alpha, kind: 'mcp', name: 'CRM', credentials: { url: 'http://crm.example/mcp', token: 'tok' } });
    const theirs = await createConnection(t.db, box, { tenantId: beta, kind: 'mcp', name: 'CRM', credentials: { url: 'http://x.example/mcp', token: 'x' } });
    await copyCredentials(mine.id, theirs.id);
    const stolen = await getConnection(t.db, beta, theirs.id);
    expect(() => readCredentials(box, stolen)).toThrow(SecretDecryptError);
    // Even with the ids rewritten to match, the row's tenant is part of what was sealed.
    expect(() => readCredentials(box, { ...stolen, id: mine.id })).toThrow(SecretDecryptError);
  });

  it('an old-format row (constant associated data) is re-sealed bound to its row at start, once', async () => {
    await t.db.insertInto('connections').values({ id: 'conn_legacy', tenant_id: beta, kind: 'stripe', name: 'Old', credentials_encrypted: legacyEnvelope('{"webhookSecret":"whsec_old"}'), cursor: '{}' }).execute();
    const before = await getConnection(t.db, beta, 'conn_legacy');
    expect(() => readCredentials(box, before)).toThrow(/older format/);
    expect(await upgradeLegacyCredentials(t.db, box, silent)).toBe(1);
    const after = await getConnection(t.db, beta, 'conn_legacy');
    expect(after.credentials_encrypted).toMatch(/^aios-sb2\./);
    expect(readCredentials(box, after)).toEqual({ webhookSecret: 'whsec_old' });
    expect(await upgradeLegacyCredentials(t.db, box, silent)).toBe(0);
  });

  it('an old-format row that does not open (another key) is left as it is and reported', async () => {
    const warned: unknown[] = [];
    const other = new SecretBox(randomBytes(32));
    await t.db.insertInto('connections').values({ id: 'conn_legacy_other_key', tenant_id: beta, kind: 'stripe', name: 'Older', credentials_encrypted: legacyEnvelope('{"webhookSecret":"x"}'), cursor: '{}' }).execute();
    expect(await upgradeLegacyCredentials(t.db, other, { info() {}, warn: (o: unknown) => void warned.push(o) })).toBe(0);
    expect(warned).toEqual([expect.objectContaining({ connection: 'conn_legacy_other_key' })]);
    expect((await getConnection(t.db, beta, 'conn_legacy_other_key')).credentials_encrypted).toMatch(/^aios-sb1\./);
  });
});
