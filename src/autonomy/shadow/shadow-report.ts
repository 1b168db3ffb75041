/** One shadow run: a past signal replayed (or a signal raised by another shadow run). */
export interface ShadowRunReport {
  runId: string;
  playbook: string;
  version: number;
  signalId: string;
  subject: string;
  /** When the signal happened: the virtual clock started there. */
  occurredAt: string;
  /** 0 for a replayed signal; 1.. for runs started by a signal a shadow run raised. */
  depth: number;
  parentRunId: string | null;
  status: 'completed' | 'failed';
  summary: string | null;
  error: string | null;
}

/** Something the shadow runs would have sent or written outside AIOS (an outbox row). */
export interface ShadowEffect {
  runId: string;
  /** Outbox channel: sms, email, calendar, mcp, imap, … */
  channel: string;
  /** Action kind: sms.send, owner.notify (the owner's approval notice), email.send, calendar.write, … */
  kind: string;
  recipient: string;
  /** The text (SMS / mail body), or a one-line description for other channels. */
  text: string;
  /** The rest of the payload for non-text effects (calendar event, mailbox label, tool arguments). */
  detail: Record<string, unknown> | null;
  /** Virtual time it would have been queued. */
  at: string;
}

/** A record AIOS itself would have created or changed (deals, bookings, contacts). */
export interface ShadowRecordChange {
  table: string;
  id: string;
  change: 'created' | 'updated';
  /** The changed columns: { column: [before, after] } (before is null for a created row). */
  fields: Record<string, [unknown, unknown]>;
}

/** What a shadow run of a playbook over a past window would have done. Nothing of it happened. */
export interface ShadowReport {
  playbook: { id: string; version: number; title: string };
  tenantId: string;
  /** The business's IANA time zone: times in the report are instants; people read them in this zone. */
  timeZone: string;
  since: string;
  until: string;
  /** The trigger replayed, e.g. `{ signal: 'missed_call' }`. */
  trigger: Record<string, string>;
  /** Past signals found in the window (at most `limit` are replayed, oldest first). */
  signalsFound: number;
  runs: ShadowRunReport[];
  wouldSend: ShadowEffect[];
  /** Approvals the owner would have been asked for (each treated as approved to see the rest). */
  wouldAskOwner: Array<{ runId: string; approvalId: string; actionKind: string; recipient: string | null; reasons: unknown[]; proposal: Record<string, unknown> }>;
  wouldRaise: Array<{ runId: string; kind: string; subject: string; runIds: string[] }>;
  /** Messages to other (live) runs, e.g. a cancel handed to a booking's appointment run. */
  wouldMessage: Array<{ runId: string; toRun: string; topic: string }>;
  wouldChange: ShadowRecordChange[];
  /** Ledger rows the runs would have written, and their total minutes. */
  ledger: Array<{ runId: string; category: string; minutesSaved: number; note: string | null }>;
  minutesSaved: number;
  /** Completed top-level runs × the playbook's `minutesPerRun` (an upper bound when not every run does the job). */
  minutesIfEveryRunCounts: number;
  /** Calls that reached a shadow channel directly (bypassing the outbox); refused. Should stay empty. */
  refusedChannelCalls: Array<{ channel: string; to: string }>;
  /** Why the report is empty or partial, in words. */
  notes: string[];
}
