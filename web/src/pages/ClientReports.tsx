import { useState, type ReactNode } from 'react';
import { api, errorText } from '../api/client';
import type { paths } from '../api/schema';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, useLoad } from '../ui';
import './client-reports.css';

type Listing = paths['/api/v1/client-reports']['get']['responses'][200]['content']['application/json'];
type Report = Listing['reports'][number];
type Result = paths['/api/v1/client-reports/approve']['post']['responses'][200]['content']['application/json']['results'][number];
const TONE: Record<string, 'good' | 'warn' | 'bad' | 'info'> = { pending: 'info', approved: 'warn', sent: 'good', not_sent: 'bad' };
const STATUS_WORDS: Record<string, string> = { pending: 'waits for approval', approved: 'approved, mail not sent yet', sent: 'sent', not_sent: 'not sent' };
const SHOWN = ['leads', 'bookings', 'hoursSaved', 'moneyRecovered', 'roi', 'adSpend', 'adClicks', 'costPerLead'];

/** The summary with each unchecked number marked (its offset and text as the checker found them). */
function Summary({ r }: { r: Report }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [i, u] of [...r.unchecked].sort((a, b) => a.index - b.index).entries()) {
    if (u.index < at) continue;
    parts.push(r.summary.slice(at, u.index), <mark key={i} className="cr-unchecked" title="Not in the report's figures">{r.summary.slice(u.index, u.index + u.text.length)}</mark>);
    at = u.index + u.text.length;
  }
  parts.push(r.summary.slice(at));
  return <p className="cr-summary">{parts}</p>;
}

function ReportCard({ r, selected, confirmed, onSelect, onConfirm, result }: { r: Report; selected: boolean; confirmed: boolean; onSelect: (v: boolean) => void; onConfirm: (v: boolean) => void; result?: Result }) {
  const pending = r.status === 'pending' || r.status === 'approved';
  const figures = SHOWN.map((k) => r.figures.find((f) => f.key === k)).filter((f) => f !== undefined);
  return (
    <Card className="cr-card" title={
      <label className="cr-head">
        {pending ? <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.target.checked)} aria-label={`Select ${r.business.name}`} /> : null}
        <span className="cr-name">{r.business.name}</span> <Badge tone={TONE[r.status]}>{STATUS_WORDS[r.status] ?? r.status}</Badge>
        {r.summarySource === 'model' ? <Badge>written by the model</Badge> : null}
      </label>
    }>
      <div data-report={r.business.slug}>
        <Summary r={r} />
        {r.unchecked.length ? (
          <div className="cr-warn" role="note">
            <strong>{r.unchecked.length} number{r.unchecked.length === 1 ? '' : 's'} not in the figures:</strong> {r.unchecked.map((u) => u.text).join(', ')}
            {pending ? <label className="cr-confirm"><input type="checkbox" checked={confirmed} onChange={(e) => onConfirm(e.target.checked)} /> I checked these numbers; send anyway</label> : null}
          </div>
        ) : <p className="small muted">Every number in the summary is in the figures.</p>}
        <dl className="cr-figures">{figures.map((f) => <div key={f.key}><dt>{f.label}</dt><dd>{f.text}</dd></div>)}</dl>
        {!r.adData ? <p className="small muted">No ad data imported for this week.</p> : null}
        <p className="small">
          <a href={`/api/v1/client-reports/${r.id}/report.pdf`}>PDF</a>
          {r.sentAt ? <> · emailed to {r.emailTo}</> : null}{r.notSentReason ? <> · not sent: {r.notSentReason}</> : null}
        </p>
        {result && !result.ok ? <p className="error" role="alert">{result.message}{result.fix ? ` ${result.fix}` : ''}</p> : null}
      </div>
    </Card>
  );
}

/** The Monday-based ISO week before this one, `2026-W48`. */
function lastWeek(): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - 7 - ((d.getUTCDay() + 6) % 7) + 3); // Thursday of last week
  const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
  return `${d.getUTCFullYear()}-W${String(Math.floor((d.getTime() - jan1) / 604_800_000) + 1).padStart(2, '0')}`;
}

/**
 * Client reports: the week's report of every business you report on (owner or implementer), each
 * with its summary (numbers not found in the figures marked), the main figures and its PDF; select
 * some or all and approve them in one go: each is emailed to its business's owner with the PDF. A
 * report with unchecked numbers needs its own "I checked these numbers".
 */
export default function ClientReportsPage() {
  const [week, setWeek] = useState(lastWeek);
  const { data, error, loading, reload } = useLoad(() => api.GET('/api/v1/client-reports', { params: { query: { week } } }), [week]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmed, setConfirmed] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<Record<string, Result>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const open = (data?.reports ?? []).filter((r) => r.status === 'pending' || r.status === 'approved');
  const toggle = (set: Set<string>, id: string, on: boolean) => { const n = new Set(set); if (on) n.add(id); else n.delete(id); return n; };
  const make = async () => {
    setFailure(null);
    const r = await api.POST('/api/v1/client-reports/make', { body: { week } });
    if (r.error) return setFailure(errorText(r.error));
    setMessage(r.data.made.length ? `Made ${r.data.made.length} report${r.data.made.length === 1 ? '' : 's'}.` : 'Every report of this week was already made.');
    reload();
  };
  const approve = async () => {
    setFailure(null);
    const ids = [...selected];
    const r = await api.POST('/api/v1/client-reports/approve', { body: { ids, confirm: ids.filter((id) => confirmed.has(id)) } });
    if (r.error) return setFailure(errorText(r.error));
    setResults(Object.fromEntries(r.data.results.map((x) => [x.id, x])));
    const sent = r.data.results.filter((x) => x.status === 'sent').length;
    const waiting = r.data.results.filter((x) => !x.ok).length;
    setMessage(`${sent} sent${waiting ? `, ${waiting} not approved (see below)` : ''}.`);
    setSelected(new Set(r.data.results.filter((x) => !x.ok).map((x) => x.id)));
    reload();
  };
  const actions = (
    <div className="cr-actions">
      <label className="cr-week">Week <input type="week" value={week} onChange={(e) => e.target.value && setWeek(e.target.value)} /></label>
      <ActionButton onClick={make}>Make reports</ActionButton>
    </div>
  );
  return (
    <Page title="Client reports" actions={actions}>
      <ErrorBox error={error} />
      {failure ? <p className="error" role="alert">{failure}</p> : null}
      {message ? <p className="cr-message" role="status">{message}</p> : null}
      {data ? (
        <>
          {open.length ? (
            <div className="cr-bar">
              <label><input type="checkbox" checked={open.length > 0 && open.every((r) => selected.has(r.id))} onChange={(e) => setSelected(e.target.checked ? new Set(open.map((r) => r.id)) : new Set())} /> Select all ({open.length})</label>
              <ActionButton tone="primary" disabled={selected.size === 0} onClick={approve}>{`Approve and send ${selected.size || ''}`.trim()}</ActionButton>
            </div>
          ) : null}
          {data.reports.length === 0 ? <Empty>No client report for {data.week} yet: make them with “Make reports”.</Empty> : null}
          {data.reports.map((r) => (
            <ReportCard key={r.id} r={r} selected={selected.has(r.id)} confirmed={confirmed.has(r.id)} result={results[r.id]}
              onSelect={(v) => setSelected((s) => toggle(s, r.id, v))} onConfirm={(v) => setConfirmed((s) => toggle(s, r.id, v))} />
          ))}
          {data.missing.length ? <p className="small muted">No report yet for {data.missing.map((m) => m.name).join(', ')}.</p> : null}
        </>
      ) : loading ? <p className="muted">Loading…</p> : null}
    </Page>
  );
}
