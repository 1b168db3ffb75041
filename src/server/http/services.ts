import type { Db } from '../../store/db.js';
import type { Logger } from '../../core/logger.js';
import type { Clock } from '../../core/clock.js';
import type { AiosConfig } from '../../core/config.js';
import type { TenantRegistry } from '../tenant-registry.js';
import type { PlaybookHost } from '../../autonomy/engine/playbook-host.js';
import type { SecretBox } from '../../connection/framework/secret-box.js';
import type { Connector } from '../../connection/framework/connector.js';
import type { PrincipalKind, Scope, UserRole } from '../../records/scopes.js';
import type { ApprovalLinks } from '../../autonomy/approvals/approval-links.js';

/** What HTTP handlers may use. */
export interface Services {
  db: Db;
  log: Logger;
  clock: Clock;
  config: AiosConfig;
  tenants: TenantRegistry;
  host: PlaybookHost;
  /** Encrypts connector credentials at rest (AES-256-GCM). */
  secretBox: SecretBox;
  /** Connector kinds and the poller's "poll this now". */
  connectors: { list: Connector<any>[]; pollNow(connectionId: string): void };
  /** The base URL that Twilio and approval links use. */
  publicUrl(): string;
  /** Derives approval link tokens (never stored). */
  approvalLinks: ApprovalLinks;
}

/** The principal a request acts as (set by bearerAuth): scopes already narrowed for MCP requests. */
export interface RequestPrincipal {
  id: string;
  kind: PrincipalKind;
  name: string;
  role: UserRole | null;
  scopes: Scope[];
  tokenId: string;
}

/** Hono context variables set by middleware. `actor` is the audit name `<kind>:<principal id>`. */
export type Vars = { tenantId: string; actor: string; principal: RequestPrincipal };
