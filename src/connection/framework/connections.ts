import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { newId } from '../../core/ids.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import type { Connector } from './connector.js';
import type { SecretBox, SecretBinding } from './secret-box.js';
import type { ConnectionRow, ConnectionStatus } from './tables.js';
import './tables.js';

/** A connection as shown to people and the API: everything except the credentials. */
export type ConnectionView = Omit<ConnectionRow, 'credentials_encrypted'> & { has_credentials: boolean };

/** The purpose string sealed with every connection's credentials. */
export const CREDENTIALS_PURPOSE = 'connection.credentials';

/** What a connection's credentials are bound to: its business and its id. */
export function credentialsBinding(row: { tenant_id: string; id: string }): SecretBinding {
  return { purpose: CREDENTIALS_PURPOSE, tenantId: row.tenant_id, recordId: row.id };
}

/** Strips the encrypted credentials from a row. */
export function toView(row: ConnectionRow): ConnectionView {
  const { credentials_encrypted, ...rest } = row;
  return { ...rest, has_credentials: credentials_encrypted !== null };
}

/**
 * Creates a connection with its credentials sealed by `box`. When `connector` is given the
 * credentials are checked against its schema first (InputError naming the field otherwise), and
 * each polling trigger's initial cursor is stored.
 */
export async function createConnection(
  db: Db,
  box: SecretBox,
  input: { tenantId: string; kind: string; name: string; credentials?: unknown; connector?: Connector<any> },
): Promise<ConnectionRow> {
  let credentials = input.credentials;
  const cursor: Record<string, unknown> = {};
  if (input.connector) {
    if (input.connector.kind !== input.kind) throw new InputError(`connector kind ${input.connector.kind} does not match ${input.kind}`, { fix: 'Use the connector of the same kind as the connection.' });
    credentials = parseCredentials(input.connector, credentials);
    for (const t of input.connector.polling ?? []) cursor[t.id] = t.initialCursor();
  }
  const id = newId('conn');
  return db
    .insertInto('connections')
    .values({
      id,
      tenant_id: input.tenantId,
      kind: input.kind,
      name: input.name,
      credentials_encrypted: credentials === undefined ? null : box.seal(JSON.stringify(credentials), credentialsBinding({ tenant_id: input.tenantId, id })),
      cursor: JSON.stringify(cursor),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

function parseCredentials(connector: Connector<any>, credentials: unknown): unknown {
  const r = connector.credentials.safeParse(credentials);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`credentials for ${connector.kind}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`, { fix: `Check the ${connector.title} credentials and try again.` });
  }
  return r.data;
}

/** The tenant's connections (without credentials), oldest first. */
export async function listConnections(db: Db, tenantId: string): Promise<ConnectionView[]> {
  const rows = await db.selectFrom('connections').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toView);
}

/** One connection of the tenant (with encrypted credentials); NotFoundError when absent. */
export async function getConnection(db: Db, tenantId: string, id: string): Promise<ConnectionRow> {
  const row = await db.selectFrom('connections').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('connection', id);
  return row;
}

/** A connection by id alone, for webhooks whose URL carries the id; undefined when absent. */
export async function findConnectionById(db: Db, id: string): Promise<ConnectionRow | undefined> {
  return db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Opens the sealed credentials of a connection (`null` when it has none). They open only on the
 * row they were sealed for (same business and connection id): SecretDecryptError otherwise.
 */
export function readCredentials<Cred = unknown>(box: SecretBox, row: Pick<ConnectionRow, 'credentials_encrypted' | 'tenant_id' | 'id'>): Cred | null {
  return row.credentials_encrypted === null ? null : (JSON.parse(box.open(row.credentials_encrypted, credentialsBinding(row))) as Cred);
}

/**
 * Replaces the credentials. A connection stopped by `auth_failed` (or in error) is set back to
 * `ok` with its failure count cleared, so the poller tries again at once.
 */
export async function updateCredentials(db: Db, box: SecretBox, tenantId: string, id: string, credentials: unknown, connector?: Connector<any>): Promise<void> {
  const creds = connector ? parseCredentials(connector, credentials) : credentials;
  const r = await db
    .updateTable('connections')
    .set({
      credentials_encrypted: box.seal(JSON.stringify(creds), credentialsBinding({ tenant_id: tenantId, id })),
      status: sql<ConnectionStatus>`case when status = 'disabled' then 'disabled' else 'ok' end`,
      failures: 0,
      next_retry_at: null,
      last_error: null,
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) throw new NotFoundError('connection', id);
}

/** Enables (status `ok`) or disables a connection; a disabled connection is never polled. */
export async function setConnectionEnabled(db: Db, tenantId: string, id: string, enabled: boolean): Promise<void> {
  const r = await db
    .updateTable('connections')
    .set({ status: enabled ? 'ok' : 'disabled', failures: 0, next_retry_at: null, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) throw new NotFoundError('connection', id);
}
