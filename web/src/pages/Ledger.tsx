import { useMemo, useState } from 'react';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { ActionButton, Badge, Card, ErrorBox, Page, money, useLoad } from '../ui';
import { WeekChart, type WeekSeries } from '../components/WeekChart';
import { must } from './records/common';
import './ledger.css';

type Summary = paths['/api/v1/ledger/summary']['get']['responses'][200]['content']['application/json'];
type Basis = 'measured' | 'answered' | 'assumed';
type RoiBody = NonNullable<paths['/api/v1/ledger/roi']['patch']['requestBody']>['content']['application/json'];

/** The ledger's words for its categories (the rest are shown as written). */
const KIND_NAMES: Record<string, string> = {
  missed_call_text_back: 'Missed call texted back', call_answered: 'Call answered', lead_response: 'New lead answered',
  booking: 'Job booked and done', review_request: 'Review asked for', invoice_chase: 'Invoice chased', invoice_recovered: 'Invoice paid after reminders',
  inbound_answer: "Customer's text answered", proposed_sms: 'Text sent for an assistant', content_post: 'Post published',
};
/** Marks on the response-time axis, minutes: 10 s, 1 min, 5 min, 15 min, 1 h, 4 h, 1 d, 1 week. */
const DURATION_TICKS = [1 / 6, 1, 5, 15, 60, 240, 1440, 10_080];
const kindName = (c: string) => KIND_NAMES[c] ?? c.replace(/_/g, ' ');

/** "measured", "set by you" or "assumed", as a badge. */
function BasisBadge({ basis }: { basis: Basis }) {
  return basis === 'measured' ? <Badge tone="good">measured</Badge> : basis === 'answered' ? <Badge tone="info">set by you</Badge> : <Badge tone="warn">assumed</Badge>;
}

/** 42 h, 28 s, 3.0 d: a duration in ms as words. */
function duration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/**
 * The Ledger: what AIOS was worth over the last weeks — headline cards (hours saved, value, cost,
 * ROI, each saying measured, set or assumed), speed-to-lead before and after AIOS, money recovered,
 * weekly charts (uPlot), and the minutes each kind of action saves (owners and implementers edit
 * them with the hourly value and running cost; staff read them).
 */
export default function LedgerPage() {
  const [weeks, setWeeks] = useState(12);
  const { data, error, loading, reload } = useLoad(() => api.GET('/api/v1/ledger/summary', { params: { query: { weeks } } }), [weeks]);
  const picker = (
    <label className="ledger-weeks">Period
      <select value={weeks} onChange={(e) => setWeeks(Number(e.target.value))}>{[4, 12, 26, 52].map((n) => <option key={n} value={n}>Last {n} weeks</option>)}</select>
    </label>
  );
  return (
    <Page title="Ledger" actions={picker}>
      <ErrorBox error={error} />
      {data ? <Ledger s={data} onSaved={reload} /> : loading ? <p className="muted">Loading…</p> : null}
    </Page>
  );
}

function Ledger({ s, onSaved }: { s: Summary; onSaved: () => void }) {
  const [saved, setSaved] = useState<string | null>(null);
  const t = s.totals;
  const cur = s.period.currency;
  const m = (c: number) => money(Math.round(c), cur);
  return (
    <>
      <div className="ledger-cards">
        <Headline label="Hours saved" value={`${t.hoursSaved.value} h`} basis={t.hoursSaved.basis} note={`${t.actions} actions`} />
        <Headline label="Value" value={m(t.valueCents.value)} basis={t.valueCents.basis} note="time + money recovered" />
        <Headline label="Cost" value={m(t.costCents.value)} basis={t.costCents.basis} note={`${m(t.runningCostCents.value)} running + ${m(t.aiCostCents.value)} AI`} />
        <Headline label="ROI" value={t.roi.value === null ? '–' : `${t.roi.value}×`} basis={t.roi.basis} note={t.roi.reason ?? 'value ÷ cost'} />
      </div>
      <div className="ledger-two">
        <Card title="Speed to lead (median first reply)">
          <div className="ledger-speed">
            <div><div className="stat">{duration(t.speedToLead.before.p50Ms)}</div><div className="small muted">you, before AIOS · {t.speedToLead.before.count} conversations</div></div>
            <div><div className="stat">{duration(t.speedToLead.after.p50Ms)}</div><div className="small muted">with AIOS · {t.speedToLead.after.count} leads</div></div>
          </div>
          <p className="small muted"><BasisBadge basis="measured" /> From your message history (your own first replies) and AIOS's ledger.</p>
        </Card>
        <Card title="Money recovered">
          <div className="stat">{m(t.money.totalCents.value)} <BasisBadge basis={t.money.totalCents.basis} /></div>
          <ul className="small ledger-money">
            <li><b>{m(t.money.invoices.cents)}</b> · {t.money.invoices.count} invoice{t.money.invoices.count === 1 ? '' : 's'} paid after a reminder <BasisBadge basis="measured" /></li>
            <li><b>{m(t.money.jobs.cents)}</b> · {t.money.jobs.count} job{t.money.jobs.count === 1 ? '' : 's'} booked from missed calls and leads × {m(t.money.jobs.averageJobValueCents)} <BasisBadge basis={t.money.jobs.basis} /></li>
          </ul>
        </Card>
      </div>
      <Charts s={s} />
      <Minutes key={JSON.stringify(s.settings)} s={s} onSaved={(msg) => { setSaved(msg); onSaved(); }} />
      {saved ? <p className="small" role="status">{saved}</p> : null}
      <p className="small muted">{t.valueCents.source}. {t.runningCostCents.source}. {t.aiCostCents.source}.</p>
    </>
  );
}

function Headline({ label, value, basis, note }: { label: string; value: string; basis: Basis; note: string }) {
  return (
    <div className="card ledger-card">
      <div className="ledger-card-head"><span className="small muted">{label}</span><BasisBadge basis={basis} /></div>
      <div className="stat">{value}</div>
      <div className="small muted">{note}</div>
    </div>
  );
}

function Charts({ s }: { s: Summary }) {
  const weeks = useMemo(() => s.weekly.map((w) => w.week), [s]);
  const cur = s.period.currency;
  const charts = useMemo(() => {
    const w = s.weekly;
    const cents = (v: number) => money(Math.round(v), cur);
    const hours = (v: number) => `${Math.round(v * 10) / 10} h`;
    const mins = (v: number) => (v < 1 ? `${Math.round(v * 60)} s` : v < 60 ? `${Math.round(v)} min` : v < 1440 ? `${Math.round(v / 6) / 10} h` : `${Math.round(v / 144) / 10} d`);
    return [
      { title: 'Hours saved per week', format: hours, series: [{ label: 'hours saved', kind: 'bar', color: '#0f5132', values: w.map((x) => x.hoursSaved) }] as WeekSeries[] },
      { title: 'First reply to a lead (median)', format: mins, log: true, ticks: DURATION_TICKS, series: [
        { label: 'you', kind: 'line', color: '#8a5a00', values: w.map((x) => (x.responseP50Ms.before === null ? null : x.responseP50Ms.before / 60_000)) },
        { label: 'AIOS', kind: 'line', color: '#0b5ed7', values: w.map((x) => (x.responseP50Ms.after === null ? null : x.responseP50Ms.after / 60_000)) },
      ] as WeekSeries[] },
      { title: 'Money recovered per week', format: cents, series: [{ label: 'recovered', kind: 'bar', color: '#146c43', values: w.map((x) => x.recoveredCents) }] as WeekSeries[] },
      { title: 'Cost per week', format: cents, series: [
        { label: 'running + AI', kind: 'bar', color: '#5f6b64', values: w.map((x) => x.costCents) },
        { label: 'AI', kind: 'line', color: '#b02a37', values: w.map((x) => x.aiCostCents) },
      ] as WeekSeries[] },
    ];
  }, [s, cur]);
  return <div className="ledger-charts">{charts.map((c) => <div className="card" key={c.title}><WeekChart title={c.title} weeks={weeks} series={c.series} format={c.format} log={c.log} ticks={c.ticks} /></div>)}</div>;
}

function Minutes({ s, onSaved }: { s: Summary; onSaved: (message: string) => void }) {
  const edit = s.canEdit;
  const set = s.settings;
  const [minutes, setMinutes] = useState<Record<string, string>>(() => Object.fromEntries(set.minutes.map((x) => [x.category, String(x.minutes)])));
  const [hourly, setHourly] = useState(String(set.hourlyValue.value));
  const [running, setRunning] = useState(String(set.runningCostCentsPerMonth.value / 100));
  const counted = new Map(s.byCategory.map((c) => [c.category, c]));
  const save = async () => {
    const body: RoiBody = {};
    const changedMinutes = Object.fromEntries(set.minutes.filter((x) => minutes[x.category] !== String(x.minutes)).map((x) => [x.category, minutes[x.category] === '' ? null : Number(minutes[x.category])]));
    if (Object.keys(changedMinutes).length) body.minutes = changedMinutes;
    if (hourly !== String(set.hourlyValue.value)) body.hourlyValue = hourly === '' ? null : Number(hourly);
    if (running !== String(set.runningCostCentsPerMonth.value / 100)) body.runningCostCentsPerMonth = running === '' ? null : Math.round(Number(running) * 100);
    const r = await must<{ changed: string[] }>(api.PATCH('/api/v1/ledger/roi', { body }));
    onSaved(`Saved ${r.changed.length} change${r.changed.length === 1 ? '' : 's'} to tenant.yaml.`);
  };
  return (
    <Card title="Minutes saved per action">
      <p className="small muted">{edit ? 'Defaults come from the audit; change any to your own. An empty box puts the default back.' : 'Owners and implementers change these numbers.'}</p>
      <div className="ledger-table-wrap">
        <table className="ledger-minutes">
          <thead><tr><th>Action</th><th>In period</th><th>Minutes each</th><th>Hours</th></tr></thead>
          <tbody>
            {set.minutes.map((x) => (
              <tr key={x.category}>
                <td><div>{kindName(x.category)}</div><div className="small muted">{x.source}</div></td>
                <td>{counted.get(x.category)?.actions ?? 0}</td>
                <td>
                  {edit ? <input type="number" inputMode="decimal" min={0} max={480} step="any" aria-label={`Minutes for ${kindName(x.category)}`} value={minutes[x.category] ?? ''} onChange={(e) => setMinutes({ ...minutes, [x.category]: e.target.value })} /> : <span>{x.minutes}</span>}
                  <div><BasisBadge basis={x.basis} /></div>
                </td>
                <td>{counted.get(x.category)?.hoursSaved ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="ledger-inputs">
        <label>Your hour is worth ({s.period.currency}) <BasisBadge basis={set.hourlyValue.basis} />
          {edit ? <input type="number" inputMode="decimal" min={0} step="any" name="hourlyValue" value={hourly} onChange={(e) => setHourly(e.target.value)} /> : <span className="ledger-ro">{set.hourlyValue.value}</span>}
          <span className="small">{set.hourlyValue.source}</span>
        </label>
        <label>Running AIOS costs a month ({s.period.currency}) <BasisBadge basis={set.runningCostCentsPerMonth.basis} />
          {edit ? <input type="number" inputMode="decimal" min={0} step="any" name="runningCost" value={running} onChange={(e) => setRunning(e.target.value)} /> : <span className="ledger-ro">{set.runningCostCentsPerMonth.value / 100}</span>}
          <span className="small">{set.runningCostCentsPerMonth.source}</span>
        </label>
      </div>
      {edit ? <ActionButton tone="primary" onClick={save}>Save</ActionButton> : null}
    </Card>
  );
}
