import type { z } from 'zod';

/**
 * The connector contract (DESIGN §7). A connector declares its credentials, how to validate them,
 * polling triggers, webhook triggers and actions. The engine — not the connector — stores items and
 * cursors (same transaction, unique on connection + external id), encrypts credentials, retries by
 * error kind and quarantines items that cannot be processed.
 */

/** What an action does to the world; the policy gate decides on `send` and `money`. */
export type Effect = 'read' | 'write' | 'send' | 'money';

/** Why a connector call failed: `auth` is never retried; `network` and `rate_limit` are, with backoff. */
export type ConnectorErrorKind = 'auth' | 'network' | 'rate_limit' | 'protocol' | 'invalid_input';

/** One item a trigger found, e.g. a mail message or a calendar event. */
export interface ConnectorItem {
  /** Unique within the connection (e.g. `<uidvalidity>:<uid>`, a CalDAV href + etag). */
  externalId: string;
  /** Event type to record, e.g. `email.received`, `calendar.event.changed`. */
  type: string;
  occurredAt: Date;
  /** Parsed, JSON-safe payload. */
  payload: Record<string, unknown>;
}

/** An item that could not be parsed: kept with its reason, visible in `aios quarantine`. */
export interface QuarantinedItem {
  externalId: string;
  reason: string;
  /** A short excerpt or the raw bytes' size, never credentials. */
  sample?: string;
}

/** The result of one poll. `nextCursor` is saved with the items in one transaction. */
export interface PollResult<C> {
  items: ConnectorItem[];
  quarantined?: QuarantinedItem[];
  nextCursor: C;
  /** True when more items are waiting (the engine polls again at once). */
  more?: boolean;
  /** Progress of a backfill, for the progress bar: done and total units. */
  progress?: { done: number; total: number };
}

/** Context handed to connector code. */
export interface ConnectorContext<Cred> {
  tenantId: string;
  connectionId: string;
  credentials: Cred;
  signal?: AbortSignal;
  now(): Date;
}

/** A polling trigger (IMAP fetch, CalDAV sync, ICS feed). */
export interface PollingTrigger<Cred, C> {
  id: string;
  /** Cursor for a new connection. */
  initialCursor(): C;
  poll(ctx: ConnectorContext<Cred>, cursor: C): Promise<PollResult<C>>;
}

/** A webhook trigger: verify (signature) → the engine stores raw → acknowledge → process later. */
export interface WebhookTrigger<Cred> {
  id: string;
  /** Throws ConnectorError('auth') when the signature is bad. `rawBody` is the exact bytes received. */
  verify(ctx: ConnectorContext<Cred>, req: { headers: Record<string, string>; rawBody: string }): Promise<void> | void;
  /** Turns a stored raw request into items (or quarantined items). */
  parse(ctx: ConnectorContext<Cred>, rawBody: string): Promise<{ items: ConnectorItem[]; quarantined?: QuarantinedItem[] }>;
}

/** An action a playbook may propose, e.g. send an email, create a calendar event. */
export interface ConnectorAction<Cred, I, O> {
  id: string;
  effect: Effect;
  /** Whether repeating the call with the same idempotency key is harmless at the provider. */
  idempotent: boolean;
  input: z.ZodType<I>;
  run(ctx: ConnectorContext<Cred>, input: I, idempotencyKey: string): Promise<O>;
}

/** A connector kind, e.g. `imap`, `caldav`, `stripe`. */
export interface Connector<Cred = unknown> {
  kind: string;
  title: string;
  credentials: z.ZodType<Cred>;
  /** Checks the credentials against the real service; throws ConnectorError with a plain message. */
  validate(ctx: ConnectorContext<Cred>): Promise<void>;
  polling?: PollingTrigger<Cred, any>[];
  webhooks?: WebhookTrigger<Cred>[];
  actions?: ConnectorAction<Cred, any, any>[];
}
