import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client';
import { useSession } from '../session';
import { ActionButton, Badge, Empty, ErrorBox, Page, ago, money, useLoad } from '../ui';
import { clock, date, must, useLiveReload, useZone } from './records/common';
import { as, type Run, type Signal } from './records/types';
import './records/records.css';

const SEVERITIES = ['high', 'normal', 'low'];
const TONE: Record<string, 'bad' | 'warn' | 'neutral'> = { high: 'bad', normal: 'warn', low: 'neutral' };

/** "invoice_overdue" → "Invoice overdue". */
function kindWords(kind: string): string {
  const s = kind.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What a signal is about (from its data where the watcher wrote it), linked to the page that shows it. */
function subjectLink(s: Signal): React.ReactNode {
  const d = s.data as { number?: string | null; customerName?: string | null; balanceCents?: number; currency?: string; stage?: string; days?: number; contactId?: string | null };
  if (s.kind.startsWith('invoice')) return <Link href="~/invoices">{[d.number ?? 'invoice', d.customerName, d.balanceCents !== undefined ? money(d.balanceCents, d.currency) : null].filter(Boolean).join(' · ')}</Link>;
  if (s.kind.startsWith('deal')) return <Link href={d.contactId ? `~/contacts/${d.contactId}` : '~/deals'}>{d.stage ? `a deal in “${d.stage}”${d.days !== undefined ? ` for ${d.days} d` : ''}` : 'a deal'}</Link>;
  return s.subject;
}

/** The Signals page: what AIOS noticed, by severity, with what it is doing about each; snooze or dismiss with a reason. */
export default function SignalsPage() {
  const zone = useZone();
  const { canDecide } = useSession();
  const sig = useLoad(() => api.GET('/api/v1/signals', { params: { query: { status: 'all', limit: 500 } as never } }), []);
  const runs = useLoad(() => api.GET('/api/v1/runs', { params: { query: { limit: 500 } } }), []);
  const reload = () => {
    sig.reload();
    runs.reload();
  };
  useLiveReload(['signal', 'run'], reload);
  const [showSnoozed, setShowSnoozed] = useState(false);
  const [dismissing, setDismissing] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const all = as<{ signals?: Signal[] } | undefined>(sig.data)?.signals ?? [];
  const runById = new Map((as<{ runs?: Run[] } | undefined>(runs.data)?.runs ?? []).map((r) => [r.id, r]));
  const open = all.filter((s) => s.status === 'open' || s.status === 'handling');
  const snoozed = all.filter((s) => s.status === 'snoozed');
  const shown = showSnoozed ? [...open, ...snoozed] : open;
  const bySeverity = SEVERITIES.map((sev) => [sev, shown.filter((s) => (SEVERITIES.includes(s.severity) ? s.severity : 'normal') === sev)] as const);

  function doing(s: Signal): React.ReactNode {
    if (s.status === 'snoozed') return <>Snoozed until {date(s.snoozed_until, zone)} {s.snoozed_until ? clock(s.snoozed_until, zone) : ''}</>;
    const run = s.run_id ? runById.get(s.run_id) : undefined;
    if (!s.run_id) return <span className="muted">Nothing yet: no playbook takes this on. It waits for you.</span>;
    if (!run) return <Link href={`~/runs/${s.run_id}`}>A run is on it</Link>;
    const what = run.status === 'waiting' ? `waiting for ${run.waiting_for ?? 'something'}` : run.status === 'running' ? 'working on it' : run.status === 'failed' ? `failed: ${run.error ?? ''}` : run.status === 'cancelled' ? 'its run was cancelled' : run.summary ?? 'done';
    return <><Link href={`~/runs/${run.id}`}>{run.playbook}</Link> {what}</>;
  }

  return (
    <Page title="Signals" actions={<label className="inline"><input type="checkbox" checked={showSnoozed} onChange={(e) => setShowSnoozed(e.target.checked)} /> Show snoozed ({snoozed.length})</label>}>
      <ErrorBox error={sig.error} />
      {sig.data && shown.length === 0 ? <Empty>Nothing needs attention. AIOS raises a signal for missed calls, new leads, unanswered customers, stalled deals and overdue invoices.</Empty> : null}
      {bySeverity.filter(([, list]) => list.length > 0).map(([sev, list]) => (
        <section key={sev} className="day">
          <h2 className="day-title"><Badge tone={TONE[sev]}>{sev}</Badge> <span className="small muted">{list.length}</span></h2>
          <ul className="list">
            {list.map((s) => (
              <li key={s.id} className="signal" data-signal={s.id}>
                <div className="signal-head"><span className="strong">{kindWords(s.kind)}</span> <span className="small muted">{subjectLink(s)} · {ago(s.created_at)}{s.occurrences > 1 ? ` · ${s.occurrences}×` : ''}</span></div>
                <div className="small">{doing(s)}</div>
                {canDecide ? (dismissing === s.id ? (
                  <div className="signal-dismiss">
                    <label>Why dismiss it? (kept in the audit log)<input type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="e.g. paid in cash on site" autoFocus /></label>
                    <ActionButton tone="danger" onClick={async () => { await must(api.POST('/api/v1/signals/{id}/dismiss', { params: { path: { id: s.id } }, body: reason.trim() ? { reason: reason.trim() } : {} } as never)); setDismissing(null); setReason(''); reload(); }}>Dismiss for good</ActionButton>
                    <button type="button" className="btn" onClick={() => setDismissing(null)}>Keep</button>
                  </div>
                ) : (
                  <div className="row-actions">
                    {s.status !== 'snoozed' ? <>
                      <ActionButton onClick={async () => { await must(api.POST('/api/v1/signals/{id}/snooze', { params: { path: { id: s.id } }, body: { for: '4h' } } as never)); reload(); }}>Snooze 4 h</ActionButton>
                      <ActionButton onClick={async () => { await must(api.POST('/api/v1/signals/{id}/snooze', { params: { path: { id: s.id } }, body: { for: '2d' } } as never)); reload(); }}>2 days</ActionButton>
                    </> : null}
                    <button type="button" className="btn btn-danger" onClick={() => { setDismissing(s.id); setReason(''); }}>Dismiss…</button>
                  </div>
                )) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Page>
  );
}
