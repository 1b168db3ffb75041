import { useState } from 'react';
import { Link, Route, Switch, useParams } from 'wouter';
import { api } from '../api/client';
import { useSession } from '../session';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, ago, useLoad } from '../ui';
import { brief, clock, date, must, useLiveReload, useZone } from './records/common';
import { as, type Run, type RunStep } from './records/types';
import './records/records.css';

type Status = Run['status'] | 'all';
const STATUSES: Status[] = ['all', 'waiting', 'running', 'failed', 'completed', 'cancelled'];
const TONE: Record<Run['status'], 'info' | 'warn' | 'bad' | 'good' | 'neutral'> = { running: 'info', waiting: 'warn', failed: 'bad', completed: 'good', cancelled: 'neutral' };

/** The Runs page: runs with a status filter, and one run's timeline at `/runs/<id>` (cancel, retry). */
export default function RunsPage() {
  return (
    <Switch>
      <Route path="/:id"><RunView /></Route>
      <Route><RunList /></Route>
    </Switch>
  );
}

function RunList() {
  const zone = useZone();
  const [status, setStatus] = useState<Status>('all');
  const { data, error, reload } = useLoad(() => api.GET('/api/v1/runs', { params: { query: { limit: 500 } } }), []);
  useLiveReload(['run'], reload);
  const all = as<{ runs?: Run[] } | undefined>(data)?.runs ?? [];
  const runs = status === 'all' ? all : all.filter((r) => r.status === status);
  const count = (s: Status) => (s === 'all' ? all.length : all.filter((r) => r.status === s).length);
  return (
    <Page title="Runs">
      <div className="tabs" role="tablist">
        {STATUSES.map((s) => <button key={s} type="button" role="tab" aria-selected={status === s} className={`tab ${status === s ? 'tab-on' : ''}`} onClick={() => setStatus(s)}>{s} <span className="small muted">{count(s)}</span></button>)}
      </div>
      <ErrorBox error={error} />
      {data && runs.length === 0 ? <Empty>{status === 'all' ? 'No runs yet: a run starts when a playbook takes on a signal (a missed call, a new lead, an overdue invoice).' : `No ${status} runs among the latest ${all.length}.`}</Empty> : null}
      <table className="rtable">
        <thead><tr><th>Playbook</th><th>Status</th><th>What happened</th><th>Started</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-run={r.id}>
              <td data-label="Playbook"><Link href={`/${r.id}`} className="strong">{r.playbook}</Link>{r.mode === 'shadow' ? <> <Badge>shadow</Badge></> : null}</td>
              <td data-label="Status"><span><Badge tone={TONE[r.status]}>{r.status}</Badge>{r.waiting_for ? <span className="small muted"> for {r.waiting_for}</span> : null}</span></td>
              <td data-label="What" className="wrap">{r.error ? <span className="bad-text">{r.error}</span> : r.summary ?? <span className="muted">—</span>}</td>
              <td data-label="Started" title={`${date(r.started_at, zone)} ${clock(r.started_at, zone)}`}>{ago(r.started_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

function RunView() {
  const { id } = useParams<{ id: string }>();
  const zone = useZone();
  const { canAdminister, canDecide } = useSession();
  const { data, error, reload } = useLoad(() => api.GET('/api/v1/runs/{id}', { params: { path: { id } } }), [id]);
  useLiveReload(['run', 'approval'], reload);
  const [asked, setAsked] = useState(false);
  const view = as<{ run?: Run; steps?: RunStep[] } | undefined>(data);
  if (error) return <Page title="Run"><ErrorBox error={error} /><p><Link href="/">All runs</Link></p></Page>;
  if (!view?.run) return <Page title="Run"><p className="muted">Loading…</p></Page>;
  const run = view.run;
  const steps = view.steps ?? [];
  const live = run.status === 'waiting' || run.status === 'running';
  return (
    <Page title={run.playbook} actions={<Link href="/" className="btn">All runs</Link>}>
      <div className="contact-head">
        <Badge tone={TONE[run.status]}>{run.status}</Badge>
        {run.waiting_for ? <span>waiting for <strong>{run.waiting_for}</strong></span> : null}
        <span className="small muted">v{run.version} · {run.mode} · started {date(run.started_at, zone)} {clock(run.started_at, zone)}{run.finished_at ? ` · ended ${clock(run.finished_at, zone)}` : ''}</span>
      </div>
      {run.summary ? <p>{run.summary}</p> : null}
      {run.error ? <div className="error" role="alert">{run.error}</div> : null}
      <div className="run-actions">
        {live && canAdminister ? (asked ? (
          <>
            <ActionButton tone="danger" onClick={async () => { await must(api.POST('/api/v1/runs/{id}/cancel', { params: { path: { id: run.id } } })); setAsked(false); reload(); }}>Yes, stop this run</ActionButton>
            <button type="button" className="btn" onClick={() => setAsked(false)}>Keep it</button>
            <span className="small muted">It never resumes; its pending approvals expire and unsent messages are dropped.</span>
          </>
        ) : <button type="button" className="btn btn-danger" onClick={() => setAsked(true)}>Cancel run…</button>) : null}
        {run.status === 'failed' && canDecide ? <ActionButton tone="primary" onClick={async () => { await must(api.POST('/api/v1/runs/{id}/retry', { params: { path: { id: run.id } } })); setTimeout(reload, 500); }}>Retry from the failed step</ActionButton> : null}
      </div>
      <Card title={`Timeline (${steps.length} ${steps.length === 1 ? 'step' : 'steps'})`}>
        {steps.length === 0 ? <Empty>No steps recorded yet.</Empty> : (
          <ol className="timeline">
            {steps.map((s) => {
              const err = s.status === 'failed' ? (s.detail as { error?: string } | null)?.error ?? brief(s.detail) : null;
              const retries = steps.filter((x) => x.step_id === s.step_id && x.seq < s.seq).length;
              return (
                <li key={s.seq} className={`tl tl-${s.status}`}>
                  <div className="tl-head">
                    <span className="strong">{s.step_id === 'wait' ? 'Wait' : s.step_id === 'message' ? 'Message' : s.step_id}</span>
                    <Badge tone={s.status === 'failed' ? 'bad' : s.status === 'waiting' ? 'warn' : 'good'}>{s.status}</Badge>
                    {retries > 0 ? <Badge tone="warn">retry {retries}</Badge> : null}
                    <span className="small muted">{s.started_at ? clock(s.started_at, zone) : ''}{s.finished_at && s.started_at ? ` · ${Math.max(0, new Date(s.finished_at).getTime() - new Date(s.started_at).getTime())} ms` : ''}</span>
                  </div>
                  {err ? <div className="bad-text small">{err}</div> : s.detail !== null && s.detail !== undefined ? <pre className="tl-detail">{brief(s.detail)}</pre> : null}
                </li>
              );
            })}
          </ol>
        )}
      </Card>
    </Page>
  );
}
