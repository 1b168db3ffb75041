import type { Db } from '../../store/db.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { Policy } from '../policy/policy-schema.js';
import type { ChannelSet } from '../../connection/channels/channel.js';
import type { ModelClient } from '../../ai/model-client.js';
import type { ApprovalLinks } from '../approvals/approval-links.js';

/** Everything a playbook run may touch, handed to the engine once at start. */
export interface EngineDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Public base URL for approval links (no trailing slash). */
  publicUrl: () => string;
  tenant(tenantId: string): TenantInfo;
  policy(tenantId: string): Policy;
  channels: ChannelSet;
  /** Model access; offline (spec null) when no provider is configured. */
  models: ModelClient;
  /**
   * The effect declared for `tool` on an MCP connection row (decrypting its credentials), or null
   * when the tool is not declared.
   */
  toolEffect(connection: { id: string; tenant_id: string; credentials_encrypted: string | null }, tool: string): 'read' | 'write' | 'send' | 'money' | null;
  /** How long an approval link stays valid, in milliseconds (default 72 h). */
  approvalLinkTtlMs: number;
  /** How long a run waits for an owner decision before the approval expires, in milliseconds. */
  approvalWaitMs: number;
  /** Derives approval link tokens from the instance key (tokens are never stored). */
  approvalLinks: ApprovalLinks;
  /** How often a run waiting in memory on the business clock re-reads it, in milliseconds (`AIOS_WAKE_EVERY_MS`; see `RunContext.waitUntil`; a parked wait is woken at its moment instead). Default 1 h. */
  wakeEveryMs?: number;
  /**
   * Waits at least this long park the run instead of holding it in memory, in ms
   * (`AIOS_PARK_AFTER_MS`; 0 = never; not given: `DEFAULT_PARK_AFTER_MS`). Recorded in each run's
   * inputs when it starts, so a run keeps the threshold it started with across a change of the
   * setting (a replay must meet the same step at each wait). See `run-parking.ts`.
   */
  parkAfterMs?: number;
  /**
   * The threshold of runs whose inputs carry none (started before AIOS recorded it there): the one
   * they started with, i.e. `AIOS_PARK_AFTER_MS` when it is set, else 0 (the default then). Not
   * given: `parkAfterMs`.
   */
  unrecordedParkAfterMs?: number;
  /** True when inbound SMS are signature-checked (Twilio auth token set): the owner may answer notices by SMS. */
  ownerSmsReplies: boolean;
}
