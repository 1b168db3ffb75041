import { useEffect, useState } from 'react';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, ago, useLoad } from '../ui';
import { useSession } from '../session';
import { getJson, post, type Audit, type Entry, type Measured, type Result } from './audit-api';
import './audit.css';

const usd = (x: number) => `$${Math.round(x).toLocaleString()}`;

/**
 * The audit: the questionnaire (prefilled with what history measured, marked as such), the ranked
 * blueprint (impact $/month, effort, the reasoning with its numbers), Markdown and PDF exports,
 * Apply (owners and implementers: the top playbooks to shadow first) and the shadow results set
 * beside the estimate.
 */
export default function AuditPage() {
  const { canAdminister } = useSession();
  const inputs = useLoad(() => getJson<{ inputs: Measured }>('/api/v1/audit/inputs'));
  const latest = useLoad(() => getJson<{ audit: Audit | null }>('/api/v1/audits/latest'));
  const audit = latest.data?.audit ?? null;
  const exports = audit ? (
    <>
      <a className="btn" href={`/api/v1/audits/${audit.id}.md`} download={`blueprint-${audit.id}.md`}>Markdown</a>
      <a className="btn" href={`/api/v1/audits/${audit.id}.pdf`} download={`blueprint-${audit.id}.pdf`}>PDF</a>
    </>
  ) : undefined;
  return (
    <Page title="Audit" actions={exports}>
      <p className="muted audit-intro">What to automate first: every playbook scored by what it saves you a month against the effort to switch it on.</p>
      <ErrorBox error={inputs.error || latest.error} />
      {audit ? <Blueprint audit={audit} canApply={canAdminister} onApplied={latest.reload} /> : null}
      {inputs.data ? <Questions measured={inputs.data.inputs} previous={audit?.answers ?? {}} canRun={canAdminister} onDone={latest.reload} first={!audit} /> : inputs.loading ? <p className="muted">Loading…</p> : null}
    </Page>
  );
}

function Questions({ measured, previous, canRun, onDone, first }: { measured: Measured; previous: Record<string, number>; canRun: boolean; onDone: () => void; first: boolean }) {
  const initial = (key: string) => String(measured.values[key]?.value ?? previous[key] ?? measured.defaults.values[key] ?? '');
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(measured.questions.map((q) => [q.key, initial(q.key)])));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState(first);
  useEffect(() => setOpen(first), [first]);
  const run = async () => {
    const answers: Record<string, number> = { ...previous };
    for (const k of touched) if (values[k] !== '' && values[k] !== undefined) answers[k] = Number(values[k]);
    await post('/api/v1/audits', { answers });
    setTouched(new Set());
    setOpen(false);
    onDone();
  };
  const measuredCount = Object.keys(measured.values).length;
  return (
    <Card title={<button type="button" className="btn-link audit-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'} {first ? 'Answer the questions' : 'Change the answers and score again'}</button>}>
      <p className="muted small">{measuredCount ? `${measuredCount} of ${measured.questions.length} measured from your last 8 weeks of history; those replace answers.` : 'Nothing could be measured yet (connect the phone, inbox, invoices): answers and defaults are used.'} Left untouched, the rest is assumed ({measured.defaults.name}).</p>
      {open ? (
        <form className="audit-form" onSubmit={(e) => e.preventDefault()}>
          {measured.questions.map((q) => {
            const m = measured.values[q.key];
            return (
              <label key={q.key} className={m ? 'is-measured' : undefined}>
                <span className="audit-q">{q.label} {m ? <Badge tone="good">measured</Badge> : touched.has(q.key) || previous[q.key] !== undefined ? <Badge tone="info">your answer</Badge> : <Badge>assumed</Badge>}</span>
                <input type="number" inputMode="decimal" min={0} max={q.max} step="any" name={q.key} value={values[q.key] ?? ''} readOnly={!!m}
                  onChange={(e) => { setValues({ ...values, [q.key]: e.target.value }); setTouched(new Set(touched).add(q.key)); }} />
                {m ? <span className="small">{m.basis}</span> : null}
              </label>
            );
          })}
          {canRun ? <ActionButton tone="primary" onClick={run}>Score my business</ActionButton> : <p className="muted small">Owners and implementers run audits.</p>}
        </form>
      ) : null}
    </Card>
  );
}

function Blueprint({ audit, canApply, onApplied }: { audit: Audit; canApply: boolean; onApplied: () => void }) {
  const b = audit.blueprint;
  const [top, setTop] = useState(3);
  const applicable = b.ranked.filter((r) => r.available && r.impactPerMonth > 0);
  return (
    <>
      <Card className="audit-summary">
        <div className="grid">
          <div><div className="stat">{usd(b.totals.impactPerMonth)}</div><div className="muted small">a month, all available automations</div></div>
          <div><div className="stat">{b.totals.hoursPerMonth} h</div><div className="muted small">of your time a month</div></div>
        </div>
        <p className="small muted">Audit of {ago(audit.createdAt)}. {b.assumptions.length ? `${b.assumptions.length} input${b.assumptions.length === 1 ? '' : 's'} assumed: answer them to sharpen it.` : 'Every input measured or answered.'}</p>
      </Card>
      <Applied audit={audit} />
      {!audit.applied && canApply && applicable.length ? (
        <Card title="Apply">
          <p className="small">Switches the top playbooks on in <b>shadow</b> first, in this order: they stay off live, nothing is sent, and their shadow replay shows what they would have done. A playbook you already run live is left as it is.</p>
          <div className="audit-apply">
            <label>How many<select value={top} onChange={(e) => setTop(Number(e.target.value))}>{[1, 2, 3, 4, 5].filter((n) => n <= applicable.length).map((n) => <option key={n} value={n}>Top {n}</option>)}</select></label>
            <ActionButton tone="primary" onClick={async () => { await post(`/api/v1/audits/${audit.id}/apply`, { top }); onApplied(); }}>Apply top {top} in shadow</ActionButton>
          </div>
        </Card>
      ) : null}
      <h2 className="audit-h">Blueprint: highest impact per effort first</h2>
      <ol className="audit-ranked">{b.ranked.map((r) => <EntryCard key={r.id} r={r} applied={audit.applied?.find((a) => a.playbookId === r.id)?.mode} />)}</ol>
    </>
  );
}

function EntryCard({ r, applied }: { r: Entry; applied?: 'shadow' | 'live' }) {
  const status = !r.available ? <Badge>not yet available</Badge> : r.effort.missingConnections.length ? <Badge tone="warn">connect {r.effort.missingConnections.join(', ')}</Badge> : <Badge tone="good">ready</Badge>;
  return (
    <li className={`card audit-entry${r.available ? '' : ' is-coming'}`}>
      <div className="audit-entry-head">
        <span className="audit-rank">{r.rank}</span>
        <div className="audit-entry-title">
          <h3>{r.title}</h3>
          <div className="audit-badges">{status}{applied ? <Badge tone="info">{applied === 'shadow' ? 'in shadow' : 'live'}</Badge> : null}{r.assumed.length ? <Badge tone="warn">uses assumptions</Badge> : null}</div>
        </div>
        <div className="audit-impact"><b>{usd(r.impactPerMonth)}</b><span className="small muted">/month</span></div>
      </div>
      <p className="small">{r.saves}</p>
      <div className="audit-figures small"><span>{r.hoursPerMonth} h/month</span><span>{usd(r.revenuePerMonth)} recovered</span><span>effort {r.effort.score} · {r.effort.risk} risk</span></div>
      <details open={r.rank <= 3}>
        <summary className="small">Why</summary>
        <ul className="small audit-why">{r.reasoning.map((s, i) => <li key={i}>{s}</li>)}</ul>
        {r.effort.setupSteps.length ? <p className="small muted">Setup: {r.effort.setupSteps.join('; ')}.</p> : null}
      </details>
    </li>
  );
}

function Applied({ audit }: { audit: Audit }) {
  const [results, setResults] = useState<Result[] | null>(null);
  const [err, setErr] = useState<unknown>(null);
  if (!audit.applied) return null;
  const load = async () => {
    const r = await getJson<{ results: Result[] }>(`/api/v1/audits/${audit.id}/results?days=30`);
    if (r.error) return setErr(r.error);
    setErr(null);
    setResults(r.data!.results);
  };
  return (
    <Card title={`Applied ${ago(audit.appliedAt)}: shadow against the estimate`}>
      <ol className="list">
        {audit.applied.map((a) => {
          const x = results?.find((y) => y.playbookId === a.playbookId);
          return (
            <li key={a.playbookId}>
              <div><b>{a.rank}. {audit.blueprint.ranked.find((r) => r.id === a.playbookId)?.title ?? a.playbookId}</b> <Badge tone={a.mode === 'shadow' ? 'info' : 'good'}>{a.mode === 'shadow' ? 'in shadow' : 'live'}</Badge></div>
              <div className="small muted">{a.mode === 'shadow' ? `Trying it in shadow: nothing is sent; the replay shows what it would have done.${a.connect.length ? ` Connect the ${a.connect.join(' and ')} first.` : ''}` : a.why}</div>
              {x ? (
                <div className="audit-result small">
                  <span>estimated <b>{x.estimate.runsPerMonth}</b>/month · shadow found <b>{x.shadow.runsPerMonth}</b>/month</span>
                  <span>would send <b>{x.shadow.wouldSend}</b> · ask you <b>{x.shadow.wouldAskOwner}</b> · saves <b>{x.shadow.hoursPerMonth} h</b> vs {x.estimate.hoursPerMonth} h</span>
                  {x.shadow.signalsFound === 0 ? <span className="muted">Nothing in the last {x.days} days would have started it yet: the estimate rests on your answers and defaults.</span> : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      <ErrorBox error={err} />
      <ActionButton onClick={load}>{results ? 'Replay again' : 'Compare shadow results (last 30 days)'}</ActionButton>
      {results && !results.length ? <Empty>Nothing was applied.</Empty> : null}
    </Card>
  );
}
