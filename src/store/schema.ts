import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamp columns: read as Date, written as Date or ISO string, defaulted by the database. */
type Ts = ColumnType<Date, Date | string | undefined, Date | string>;
type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;
type JsonDefault<T = unknown> = ColumnType<T, string | T | undefined, string | T>;
/** bigint columns are returned by pg as strings; AIOS converts with Number() at the edge. */
type BigNum = ColumnType<string, number | bigint | string, number | bigint | string>;

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  time_zone: string;
  locale: ColumnType<string, string | undefined, string>;
  currency: ColumnType<string, string | undefined, string>;
  phone: string | null;
  profile: JsonDefault<Record<string, unknown>>;
  created_at: Ts;
  updated_at: Ts;
}

export interface ApiTokensTable {
  id: string;
  tenant_id: string;
  name: string;
  token_hash: string;
  created_at: Ts;
  last_used_at: TsNull;
  revoked_at: TsNull;
  /** The principal the token acts as (migration 0007). */
  principal_id: string;
  /** What the token may do: read | propose | decide | admin (migration 0007). */
  scopes: string[];
  /** After this instant the token is refused; null = never expires (migration 0007). */
  expires_at: TsNull;
}

/** A person (user) or a machine (assistant, integration) that acts on businesses (migration 0007). */
export interface PrincipalsTable {
  id: string;
  kind: 'user' | 'assistant' | 'integration';
  name: string;
  /** Users only; unique (case-insensitive) across the install. */
  email: string | null;
  /** argon2id hash of the dashboard password (`0021-dashboard-login`); null = cannot log in. */
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  password_set_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Ts;
}

/** A browser's dashboard login (`0021-dashboard-login`); only the secret's SHA-256 is stored. */
export interface SessionsTable {
  id_hash: string;
  principal_id: string;
  /** The business the session acts on now. */
  tenant_id: string;
  csrf: string;
  created_at: Ts;
  last_seen_at: Ts;
  expires_at: Date;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** Failed logins per key (`email:…`, `ip:…`), for the growing delay. */
export interface LoginFailuresTable {
  key: string;
  failures: number;
  first_failed_at: Date;
  last_failed_at: Date;
}

/** A principal's membership of one business; `role` for users (owner | staff | implementer), null for machines. */
export interface MembershipsTable {
  principal_id: string;
  tenant_id: string;
  role: 'owner' | 'staff' | 'implementer' | null;
  created_at: Ts;
}

export interface EventsTable {
  id: string;
  tenant_id: string;
  source: string;
  type: string;
  dedup_key: string;
  occurred_at: Ts;
  received_at: Ts;
  payload: Json<Record<string, unknown>>;
}

export interface ContactsTable {
  id: string;
  tenant_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  source: string | null;
  opted_out_at: TsNull;
  created_at: Ts;
  updated_at: Ts;
  /** Where `name` came from: owner, import, form, caller_id, email, visitor (null: no name). */
  name_source: ColumnType<string | null, string | null | undefined, string | null>;
  /** A person vouched for the name (owner, CSV/CRM import); an unverified visitor name is never quoted. */
  name_verified: ColumnType<boolean, boolean | undefined, boolean>;
  /** Never send this contact a review request (0014). */
  review_opt_out: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface DealsTable {
  id: string;
  tenant_id: string;
  contact_id: string;
  title: string;
  stage: string;
  value_cents: BigNum | null;
  currency: ColumnType<string, string | undefined, string>;
  source: string | null;
  last_activity_at: Ts;
  created_at: Ts;
  /** When the deal entered its current stage (0026; a trigger sets it on every stage change). */
  stage_changed_at: Ts;
}

export interface ConversationsTable {
  id: string;
  tenant_id: string;
  contact_id: string;
  channel: string;
  address: string;
  last_message_at: Ts;
  created_at: Ts;
  /** `open`, or `waiting_for_owner` since `waiting_since` (handed to the owner; 0014). */
  state: ColumnType<'open' | 'waiting_for_owner', 'open' | 'waiting_for_owner' | undefined, 'open' | 'waiting_for_owner'>;
  waiting_since: TsNull;
  /** Short code of the owner's handoff notice while waiting (the owner answers `<code> <text>`). */
  handoff_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** The customer's first message, and the first reply after it with its run (null run = the business's own); kept by a trigger on messages (0030). */
  first_inbound_at: ColumnType<Date | null, never, never>;
  first_reply_at: ColumnType<Date | null, never, never>;
  first_reply_run_id: ColumnType<string | null, never, never>;
}

export interface MessagesTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  direction: 'inbound' | 'outbound';
  body: string;
  external_id: string | null;
  run_id: string | null;
  event_id: string | null;
  media: JsonDefault<unknown[]>;
  created_at: Ts;
}

/** `snoozed`: hidden until `snoozed_until`, then `open` again (migration 0015). */
export type SignalStatus = 'open' | 'handling' | 'snoozed' | 'resolved' | 'dismissed';
export interface SignalsTable {
  id: string;
  tenant_id: string;
  kind: string;
  subject: string;
  severity: ColumnType<string, string | undefined, string>;
  status: ColumnType<SignalStatus, SignalStatus | undefined, SignalStatus>;
  dedup_key: string;
  data: JsonDefault<Record<string, unknown>>;
  event_id: string | null;
  occurrences: ColumnType<number, number | undefined, number>;
  run_id: string | null;
  dispatched_at: TsNull;
  created_at: Ts;
  updated_at: Ts;
  resolved_at: TsNull;
  /** Until when a `snoozed` signal stays hidden (migration 0015). */
  snoozed_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The owner's reason for a dismissal (migration 0015). */
  dismiss_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
export interface RunsTable {
  id: string;
  tenant_id: string;
  playbook: string;
  version: number;
  status: RunStatus;
  mode: ColumnType<'live' | 'shadow', 'live' | 'shadow' | undefined, 'live' | 'shadow'>;
  trigger_type: string;
  trigger_ref: string;
  waiting_for: string | null;
  summary: string | null;
  error: string | null;
  started_at: Ts;
  updated_at: Ts;
  finished_at: TsNull;
  /** Set while the run is parked (migration 0038): when it wakes if nothing arrives. */
  parked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The DBOS message topic that wakes a parked run sooner (null: a plain sleep). */
  parked_topic: ColumnType<string | null, string | null | undefined, string | null>;
  /** True: `parked_until` is on the business clock (a wait until a moment), not the system clock (migration 0039). */
  parked_on_business_clock: ColumnType<boolean, boolean | undefined, boolean>;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';
export interface ApprovalsTable {
  id: string;
  tenant_id: string;
  run_id: string;
  step_id: string;
  action_kind: string;
  recipient: string | null;
  proposal: Json<Record<string, unknown>>;
  reasons: Json<unknown[]>;
  status: ColumnType<ApprovalStatus, ApprovalStatus | undefined, ApprovalStatus>;
  token_hash: string | null;
  token_expires_at: TsNull;
  deadline: Ts;
  decided_by: string | null;
  decided_at: TsNull;
  edits: Json<Record<string, unknown>> | null;
  reason: string | null;
  delivered_at: TsNull;
  created_at: Ts;
  /** Random per approval; with the instance key it derives the link token (never stored). */
  link_nonce: ColumnType<string | null, string | null | undefined, string | null>;
  /** Code the owner quotes in an SMS answer (e.g. `K7Q`); unique among the business's pending approvals. */
  short_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** Parts of the proposal that came from outside the business, `[{label, text}]` (0020). */
  untrusted: JsonDefault<Array<{ label: string; text: string }>>;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';
export interface OutboxTable {
  id: string;
  tenant_id: string;
  run_id: string | null;
  step_id: string | null;
  idempotency_key: string;
  kind: string;
  channel: string;
  recipient: string;
  payload: Json<Record<string, unknown>>;
  status: OutboxStatus;
  not_before: TsNull;
  attempts: ColumnType<number, number | undefined, number>;
  provider_ref: string | null;
  provider_response: Json<unknown> | null;
  last_error: string | null;
  created_at: Ts;
  sending_at: TsNull;
  sent_at: TsNull;
  /** Last delivery receipt from the provider: queued, sent, delivered, undelivered, failed, read. */
  delivery_status: ColumnType<string | null, string | null | undefined, string | null>;
  delivery_error: ColumnType<string | null, string | null | undefined, string | null>;
  delivery_updated_at: TsNull;
  /** SMS segments the sent text is billed as (0011); null for other channels and unsent rows. */
  segments: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface LedgerTable {
  id: string;
  tenant_id: string;
  run_id: string | null;
  outbox_id: string | null;
  category: string;
  minutes_saved: ColumnType<string, number | string | undefined, number | string>;
  value_cents: ColumnType<string, number | undefined, number>;
  ai_cost_micros: ColumnType<string, number | undefined, number>;
  response_ms: ColumnType<string | null, number | null | undefined, number | null>;
  note: string | null;
  created_at: Ts;
}

/** The owner's daily brief / weekly report (0029); unique per (tenant, kind, local date). */
export interface BriefsTable {
  id: string;
  tenant_id: string;
  kind: 'daily' | 'weekly';
  /** The business's local date, YYYY-MM-DD (text). */
  local_date: ColumnType<string, string, string>;
  period_start: ColumnType<Date, Date, Date>;
  period_end: ColumnType<Date, Date, Date>;
  content: ColumnType<unknown, string, string>;
  email_to: ColumnType<string | null, string | null | undefined, string | null>;
  outbox_id: ColumnType<string | null, string | null | undefined, string | null>;
  sent_at: TsNull;
  not_sent_reason: ColumnType<string | null, string | null | undefined, string | null>;
  claimed_until: TsNull;
  created_at: Ts;
}

export interface AuditLogTable {
  id: Generated<string>;
  tenant_id: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: JsonDefault<Record<string, unknown>>;
  at: Ts;
}

/** A file of a tenant's knowledge folder, indexed or failed (with the reason). */
export interface KnowledgeDocumentsTable {
  id: string;
  tenant_id: string;
  /** Path relative to the knowledge folder, with forward slashes. */
  path: string;
  /** SHA-256 hex of the file's bytes. */
  content_hash: string;
  size_bytes: BigNum;
  format: string;
  kind: string | null;
  title: string | null;
  language: string | null;
  audience: string | null;
  /** `YYYY-MM-DD` (pg `date`, returned as a Date by default; AIOS selects it as text). */
  valid_until: ColumnType<Date | string | null, string | null | undefined, string | null>;
  status: 'indexed' | 'failed';
  error: string | null;
  /** Version of the parser/chunker that indexed the file; a newer version re-indexes it. */
  parser_version: ColumnType<number, number | undefined, number>;
  chunk_count: ColumnType<number, number | undefined, number>;
  fact_count: ColumnType<number, number | undefined, number>;
  /** The web page the file was fetched from (front matter `source_url`); null for the owner's own files. */
  source_url: ColumnType<string | null, string | null | undefined, string | null>;
  indexed_at: Ts;
  created_at: Ts;
}

/** A searchable piece of a document; `tsv` is generated by the database. */
export interface KnowledgeChunksTable {
  id: string;
  tenant_id: string;
  document_id: string;
  seq: number;
  file: string;
  title: string;
  heading_path: string;
  /** Words customers use for this document (front matter `keywords`), indexed with the title. */
  keywords: ColumnType<string, string | undefined, string>;
  body: string;
  kind: string;
  audience: string | null;
  /** Text search configuration: `english` or `french`. */
  language: string;
  valid_until: ColumnType<Date | string | null, string | null | undefined, string | null>;
  word_count: number;
  embedding: ColumnType<number[] | null, number[] | null | undefined, number[] | null>;
  tsv: ColumnType<string, never, never>;
}

/** Document frequency of a lexeme in a tenant's chunks (lexeme '' = chunk count). */
export interface KnowledgeTermsTable {
  tenant_id: string;
  config: string;
  lexeme: string;
  df: number;
}

/** A structured fact (price, hours, service area, booking link, payment terms, …). */
export interface KnowledgeFactsTable {
  id: string;
  tenant_id: string;
  document_id: string;
  file: string;
  type: string;
  key: string;
  value: string;
  service: string | null;
  amount_cents: BigNum | null;
  currency: string | null;
  unit: string | null;
  valid_until: ColumnType<Date | string | null, string | null | undefined, string | null>;
  created_at: Ts;
}

/** A question AIOS could not answer from the knowledge: it becomes a question for the owner. */
export interface KnowledgeGapsTable {
  id: string;
  tenant_id: string;
  question: string;
  normalized: string;
  language: ColumnType<string, string | undefined, string>;
  status: ColumnType<'open' | 'answered', 'open' | 'answered' | undefined, 'open' | 'answered'>;
  occurrences: ColumnType<number, number | undefined, number>;
  created_at: Ts;
  last_asked_at: Ts;
  answered_at: TsNull;
  answer_file: string | null;
}

/** One line of a call's transcript: who spoke (`caller` or `aios`), what, when (ISO 8601). */
export interface CallLine {
  who: 'caller' | 'aios';
  text: string;
  at: string;
}

/** A phone call AIOS answered or rang through (`0013-calls`). */
export interface CallsTable {
  id: string;
  tenant_id: string;
  call_sid: string;
  from_number: string;
  to_number: string;
  status: ColumnType<'ringing' | 'in-progress' | 'transferring' | 'ended', 'ringing' | 'in-progress' | 'transferring' | 'ended' | undefined, 'ringing' | 'in-progress' | 'transferring' | 'ended'>;
  /** `dial`: rung through to a person first; `gather` / `relay`: the receptionist's mode. */
  mode: 'dial' | 'gather' | 'relay';
  /** The dialogue engine's state (`autonomy/voice/dialogue-state.ts`). */
  state: JsonDefault<Record<string, unknown>>;
  transcript: JsonDefault<CallLine[]>;
  run_id: string | null;
  started_at: Ts;
  ended_at: TsNull;
}

/** What a process does: serves HTTP and runs work (`all`), HTTP only (`web`), work only (`worker`). */
export type ExecutorRole = 'all' | 'web' | 'worker';
/** One AIOS process's presence (migration 0033): its heartbeat, and who recovered its runs after it died. */
export interface ExecutorHeartbeatsTable {
  /** The DBOS executor id of the process. */
  executor_id: string;
  role: ExecutorRole;
  app_version: string;
  host: string;
  pid: number;
  /** Random per process start: a live row whose token is not this process's was taken over by a restart. */
  token: string;
  /** `stopped`: shut down cleanly; `dead`: claimed by a survivor after its heartbeat went stale. */
  status: 'alive' | 'stopped' | 'dead';
  started_at: Ts;
  beat_at: Ts;
  claimed_by: string | null;
  claimed_at: TsNull;
  /** Application versions whose pending workflows of this executor were re-enqueued by a survivor. */
  recovered_versions: ColumnType<string[], string[] | undefined, string[]>;
  recovered_runs: ColumnType<number, number | undefined, number>;
}

/** The database as Kysely sees it. */
export interface Database {
  tenants: TenantsTable;
  api_tokens: ApiTokensTable;
  principals: PrincipalsTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  events: EventsTable;
  contacts: ContactsTable;
  deals: DealsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  signals: SignalsTable;
  runs: RunsTable;
  approvals: ApprovalsTable;
  outbox: OutboxTable;
  ledger: LedgerTable;
  briefs: BriefsTable;
  audit_log: AuditLogTable;
  knowledge_documents: KnowledgeDocumentsTable;
  knowledge_chunks: KnowledgeChunksTable;
  knowledge_facts: KnowledgeFactsTable;
  knowledge_terms: KnowledgeTermsTable;
  knowledge_gaps: KnowledgeGapsTable;
  calls: CallsTable;
  executor_heartbeats: ExecutorHeartbeatsTable;
}

export type Tenant = Selectable<TenantsTable>;
export type Contact = Selectable<ContactsTable>;
export type Signal = Selectable<SignalsTable>;
export type Run = Selectable<RunsTable>;
export type Call = Selectable<CallsTable>;
export type Approval = Selectable<ApprovalsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export type RunUpdate = Updateable<RunsTable>;
