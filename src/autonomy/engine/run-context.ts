import { DBOS } from '@dbos-inc/dbos-sdk';
import { isRetryable } from '../../core/errors.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { EngineDeps } from './engine-deps.js';
import { setRunStatus } from './run-view.js';

/** Retry policy of a step: attempts and exponential backoff; only retryable errors are retried. */
export interface StepOptions {
  /** Total attempts including the first (default 1 = no retry). */
  attempts?: number;
  /** Seconds before the first retry (default 1); doubles each time. */
  backoffSeconds?: number;
  /** Maximum duration of one attempt, in milliseconds. */
  timeoutMs?: number;
}

/** An inbound reply delivered to a waiting run. */
export interface InboundReply {
  messageId: string;
  from: string;
  body: string;
  receivedAt: string;
}

/**
 * What a playbook body uses. Every method takes a stable step id: a finished step is never re-run
 * after a crash (its recorded result is returned), and a replay that meets a different step id at
 * the same position fails loudly (DBOS `DBOSUnexpectedStepError`) instead of guessing.
 */
export class RunContext<S = unknown> {
  constructor(
    readonly deps: EngineDeps,
    readonly runId: string,
    readonly tenant: TenantInfo,
    readonly settings: S,
  ) {}

  /** Runs `fn` once as a checkpointed step. Its result must be JSON-serialisable. */
  async step<T>(id: string, fn: () => Promise<T>, opts: StepOptions = {}): Promise<T> {
    const attempts = opts.attempts ?? 1;
    return DBOS.runStep(fn, {
        name: id,
        retriesAllowed: attempts > 1,
        maxAttempts: attempts,
        intervalSeconds: opts.backoffSeconds ?? 1,
        backoffRate: 2,
        shouldRetry: (err) => isRetryable(err),
        ...(opts.timeoutMs ? { timeoutMS: opts.timeoutMs } : {}),
      });
  }

  /** The current time, recorded once per call site (deterministic on replay). */
  async now(id: string): Promise<Date> {
    const iso = await this.step(id, async () => this.deps.clock.now().toISOString());
    return new Date(iso);
  }

  /** Sleeps durably until `until`; survives restarts. */
  async sleepUntil(id: string, until: Date, why: string): Promise<void> {
    const ms = until.getTime() - this.deps.clock.now().getTime();
    await setRunStatus(this.deps.db, this.runId, 'waiting', { waitingFor: why });
    if (ms > 0) await DBOS.sleep(ms);
    await setRunStatus(this.deps.db, this.runId, 'running');
  }

  /**
   * Waits durably for a message on `topic` (sent with `DBOS.send` to this run) for at most
   * `timeoutMs` milliseconds. Returns null on timeout; never throws for a timeout.
   */
  async waitFor<T>(topic: string, timeoutMs: number, why: string): Promise<T | null> {
    await setRunStatus(this.deps.db, this.runId, 'waiting', { waitingFor: why });
    const msg = await DBOS.recv<T>(topic, { timeoutSeconds: Math.max(0.001, timeoutMs / 1000) });
    await setRunStatus(this.deps.db, this.runId, 'running');
    return msg;
  }

  /**
   * Waits for the next inbound SMS from `from` for at most `timeoutMs` milliseconds (e.g. 48 h).
   * The run shows as waiting for "reply from <from>"; replies that arrive before the wait starts
   * are queued for it by DBOS. Returns null on timeout.
   */
  async waitForReply(from: string, timeoutMs: number): Promise<InboundReply | null> {
    return this.waitFor<InboundReply>(replyTopic(from), timeoutMs, `${REPLY_WAIT_PREFIX}${from}`);
  }
}

/** `runs.waiting_for` of a run waiting for a reply: this prefix and the address. */
export const REPLY_WAIT_PREFIX = 'reply from ';

/** The DBOS message topic carrying replies from one address. */
export function replyTopic(from: string): string {
  return `reply:${from}`;
}

/** The DBOS message topic carrying the owner's decision on one approval. */
export function approvalTopic(approvalId: string): string {
  return `approval:${approvalId}`;
}
