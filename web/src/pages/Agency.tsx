import { useState, type FormEvent, type ReactElement } from 'react';
import { api, errorText } from '../api/client';
import { useSession } from '../session';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, money, useLoad } from '../ui';
import type { components } from '../api/schema';
import './records/records.css';
import './agency.css';

type Row = components['schemas']['AgencyBusiness'];
type Template = components['schemas']['BusinessTemplate'];
type Field = 'source' | 'name' | 'slug' | 'phone' | 'timeZone' | 'ownerName' | 'ownerEmail';

/** tenant.yaml fields (as a refused template names them) → the form's fields. */
const FILE_FIELDS: Record<string, Field> = { slug: 'slug', name: 'name', phone: 'phone', time_zone: 'timeZone', 'owner.name': 'ownerName', 'owner.email': 'ownerEmail' };
const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const slugOf = (name: string) => name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);

function Health({ r }: { r: Row }) {
  const failing = r.connections.filter((c) => !c.ok && c.status !== 'disabled');
  return (
    <span className="agency-health">
      <Badge tone={r.phoneConfigured ? 'good' : 'warn'}>{r.phoneConfigured ? 'phone' : 'no phone'}</Badge>{' '}
      <Badge tone={r.mailConfigured ? 'good' : 'warn'}>{r.mailConfigured ? 'mail' : 'no mail'}</Badge>{' '}
      {failing.map((c) => <span key={c.id} className="small bad-text" title={c.lastError ?? c.status}>{c.name} failing: {c.lastError ?? c.status}</span>)}
      {!failing.length && r.connections.length ? <span className="small muted">{n(r.connections.length, 'connection')} ok</span> : null}
    </span>
  );
}

/** "New business": from a template or a clone of one of yours; the server's refusal is shown at the field it names. */
function NewBusiness({ rows, onCreated }: { rows: Row[]; onCreated: (slug: string) => void }) {
  const templates = useLoad(() => api.GET('/api/v1/agency/templates'), []);
  const list = (templates.data as { templates?: Template[] } | undefined)?.templates ?? [];
  const [mode, setMode] = useState<'template' | 'clone'>('template');
  const [v, setV] = useState<Record<Field, string>>({ source: '', name: '', slug: '', phone: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, ownerName: '', ownerEmail: '' });
  const [slugTouched, setSlugTouched] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: Field, x: string) => setV((o) => ({ ...o, [k]: x, ...(k === 'name' && !slugTouched ? { slug: slugOf(x) } : {}) }));
  const clonable = rows.filter((r) => r.role === 'owner' || r.role === 'implementer');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const missing: Partial<Record<Field, string>> = {};
    for (const k of ['source', 'name', 'slug', 'phone', 'timeZone', 'ownerName'] as Field[]) if (!v[k].trim()) missing[k] = 'Required.';
    setErrors(missing);
    setGeneral(null);
    if (Object.keys(missing).length) return;
    setBusy(true);
    const body = { ...(mode === 'template' ? { template: v.source } : { cloneFrom: v.source }), name: v.name.trim(), slug: v.slug.trim(), phone: v.phone.trim(), timeZone: v.timeZone.trim(), ownerName: v.ownerName.trim(), ...(v.ownerEmail.trim() ? { ownerEmail: v.ownerEmail.trim() } : {}) };
    const r = await api.POST('/api/v1/agency/businesses', { body });
    setBusy(false);
    if (r.data) return onCreated(r.data.business.slug);
    const err = r.error as { error?: string; message?: string; fix?: string; problems?: Array<{ field: string; problem: string }> };
    const found: Partial<Record<Field, string>> = {};
    for (const p of err.problems ?? []) {
      const f = FILE_FIELDS[p.field];
      if (f) found[f] = p.problem.charAt(0).toUpperCase() + p.problem.slice(1) + '.';
    }
    if (err.error === 'conflict') found.slug = `${err.message ?? 'Taken'}. ${err.fix ?? ''}`.trim();
    for (const f of ['name', 'slug', 'phone', 'timeZone', 'ownerName', 'ownerEmail'] as Field[]) {
      const m = new RegExp(`${f}: ([^;]+)`).exec(err.message ?? '');
      if (m && !found[f]) found[f] = m[1]!.trim();
    }
    setErrors(found);
    if (!Object.keys(found).length) setGeneral(errorText(err));
  }

  const field = (k: Field, label: string, input: ReactElement) => (
    <label className={errors[k] ? 'has-error' : ''}>{label}{input}{errors[k] ? <span className="field-error" role="alert">{errors[k]}</span> : null}</label>
  );
  const text = (k: Field, type = 'text', extra: Record<string, unknown> = {}) => (
    <input type={type} name={k} value={v[k]} aria-invalid={!!errors[k]} onChange={(e) => { if (k === 'slug') setSlugTouched(true); set(k, e.target.value); }} {...extra} />
  );
  return (
    <Card title="New business" className="agency-new">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={mode === 'template'} className={`tab ${mode === 'template' ? 'tab-on' : ''}`} onClick={() => { setMode('template'); set('source', ''); }}>From a template</button>
          <button type="button" role="tab" aria-selected={mode === 'clone'} className={`tab ${mode === 'clone' ? 'tab-on' : ''}`} onClick={() => { setMode('clone'); set('source', ''); }}>Clone</button>
        </div>
        {field('source', mode === 'template' ? 'Template' : 'Copy the setup of', (
          <select name="source" value={v.source} aria-invalid={!!errors.source} onChange={(e) => set('source', e.target.value)}>
            <option value="">Choose…</option>
            {mode === 'template' ? list.map((t) => <option key={t.id} value={t.id}>{t.title} — {t.description}</option>) : clonable.map((r) => <option key={r.tenantId} value={r.slug}>{r.name}</option>)}
          </select>
        ))}
        {mode === 'clone' ? <p className="small muted">Settings, policy, playbooks, voice, knowledge and forms are copied. Records, connections, passwords, numbers and the owner never are.</p> : null}
        <div className="agency-fields">
          {field('name', 'Business name', text('name', 'text', { autoComplete: 'organization' }))}
          {field('slug', 'Short name', text('slug'))}
          {field('phone', 'Its phone number', text('phone', 'tel', { placeholder: '+14165550123' }))}
          {field('timeZone', 'Time zone', text('timeZone', 'text', { placeholder: 'America/Toronto' }))}
          {field('ownerName', "Owner's name", text('ownerName', 'text'))}
          {field('ownerEmail', "Owner's email (their login)", text('ownerEmail', 'email'))}
        </div>
        {general ? <div className="error" role="alert">{general}</div> : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Creating…' : 'Create business'}</button>
      </form>
    </Card>
  );
}

/** The agency page: every business you own or set up, one row each (cards on a phone), open one, create one. */
export default function AgencyPage() {
  const { switchBusiness } = useSession();
  const list = useLoad(() => api.GET('/api/v1/agency/businesses'), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const rows = (list.data as { businesses?: Row[] } | undefined)?.businesses ?? [];
  const totals = rows.reduce((t, r) => ({ waiting: t.waiting + r.approvalsWaiting, failing: t.failing + r.connectionsFailing, hours: t.hours + r.hoursSavedThisMonth }), { waiting: 0, failing: 0, hours: 0 });

  return (
    <Page title="Agency" actions={<button type="button" className="btn btn-primary" onClick={() => setCreating((c) => !c)}>{creating ? 'Close' : 'New business'}</button>}>
      {created ? <div className="notice" role="status">Created {created}. It is running now; its knowledge files are drafts to fill in.</div> : null}
      {creating ? <NewBusiness rows={rows} onCreated={(slug) => { setCreating(false); setCreated(slug); list.reload(); }} /> : null}
      <div className="grid agency-stats">
        <Card title="Businesses"><div className="stat">{rows.length}</div></Card>
        <Card title="Waiting for a decision"><div className="stat">{totals.waiting}</div></Card>
        <Card title="Connections failing"><div className={`stat ${totals.failing ? 'bad-text' : ''}`}>{totals.failing}</div></Card>
        <Card title="Hours saved this month"><div className="stat">{Math.round(totals.hours * 10) / 10}</div></Card>
      </div>
      <ErrorBox error={list.error} />
      {list.data && !rows.length ? <Empty>No business yet. Create one from a template.</Empty> : null}
      <table className="rtable agency-table">
        <thead><tr><th>Business</th><th>This week</th><th>AI cost (mo)</th><th>Hours saved (mo)</th><th>Recovered (mo)</th><th>ROI (mo)</th><th>Waiting</th><th>Health</th><th /></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.tenantId} data-business={r.slug}>
              <td data-label="Business"><span><span className="strong">{r.name}</span> <span className="small muted">{r.role}</span></span></td>
              <td data-label="This week">{n(r.runsThisWeek, 'run')} · {n(r.textsSentThisWeek, 'text')} · {n(r.emailsSentThisWeek, 'email')}</td>
              <td data-label="AI cost (mo)">{money(Math.round(r.aiCostCentsThisMonth), r.currency)}</td>
              <td data-label="Hours saved (mo)">{r.hoursSavedThisMonth}</td>
              <td data-label="Recovered (mo)">{money(r.moneyRecoveredCentsThisMonth, r.currency)}</td>
              <td data-label="ROI (mo)">{r.roiThisMonth === null ? '—' : `${r.roiThisMonth}×`}</td>
              <td data-label="Waiting">{r.approvalsWaiting ? <Badge tone="warn">{n(r.approvalsWaiting, 'approval')}</Badge> : <span className="muted">0 approvals</span>} {r.signalsOpen ? <span className="small">{n(r.signalsOpen, 'signal')}</span> : null}</td>
              <td data-label="Health"><Health r={r} /></td>
              <td className="row-actions"><ActionButton onClick={() => switchBusiness(r.tenantId)}>Open</ActionButton></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
