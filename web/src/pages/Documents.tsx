import { useState } from 'react';
import { api, errorText } from '../api/client';
import { useSession } from '../session';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, money, useLoad } from '../ui';
import { must } from './records/common';
import { QcTrend } from './DocumentsTrend';
import './records/records.css';
import './documents.css';

type Report = NonNullable<Awaited<ReturnType<typeof loadReport>>['data']>;
type Exception = Report['exceptions'][number];
const loadReport = (id: string) => api.GET('/api/v1/document-packages/{id}', { params: { path: { id } } });
const STATUS_TONE: Record<string, 'good' | 'warn' | 'bad' | 'neutral' | 'info'> = { ready: 'good', submitted: 'good', exceptions_open: 'bad', received: 'neutral', read: 'neutral', checked: 'neutral' };
const EX_TONE: Record<string, 'good' | 'warn' | 'bad' | 'info'> = { open: 'bad', requested: 'info', waived: 'warn', resolved: 'good' };
const words = (s: string) => s.replace(/_/g, ' ');
const MONEY_FIELDS = new Set(['income', 'loanAmount', 'salePrice']);
/** A key field for people: money (stored in cents) in dollars, rates with %. */
const show = (field: string, value: string) => (MONEY_FIELDS.has(field) ? money(Number(value), 'USD') : field === 'interestRate' ? `${value}%` : value);

/** Sends one file as the raw body of the upload route (25 MiB at most). */
async function uploadFile(id: string, file: File) {
  return api.POST('/api/v1/document-uploads/{id}', {
    params: { path: { id }, query: { name: file.name } },
    body: file as never, bodySerializer: (b: unknown) => b as BodyInit, headers: { 'content-type': file.type || 'application/pdf' },
  });
}

/** The file and page an exception points at, opening that page (or the whole file) in a new tab. */
function EvidenceLink({ packageId, file, page }: { packageId: string; file: string; page: number | null }) {
  const base = `/api/v1/document-packages/${encodeURIComponent(packageId)}/files/${encodeURIComponent(file)}`;
  return page
    ? <a href={`${base}/pages/${page}`} target="_blank" rel="noopener noreferrer" title={`Open page ${page} of ${file}`}>{file}, page {page}</a>
    : <a href={base} target="_blank" rel="noopener noreferrer" title={`Open ${file}`}>{file}</a>;
}

function ExceptionCard({ ex, packageId, canDecide, onChange }: { ex: Exception; packageId: string; canDecide: boolean; onChange: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const decide = async (body: { action: 'resolve' } | { action: 'waive'; reason: string } | { action: 'request' }) => {
    setError(null);
    const r = await api.POST('/api/v1/document-packages/{id}/exceptions/{exceptionId}', { params: { path: { id: packageId, exceptionId: ex.id } }, body });
    if (r.error) setError(errorText(r.error));
    else onChange();
  };
  const open = ex.status === 'open';
  return (
    <div className="qc-ex" data-exception={ex.kind}>
      <h3><span>{words(ex.kind)}</span> <Badge tone={EX_TONE[ex.status]}>{ex.status}</Badge></h3>
      <p>{ex.message}</p>
      {ex.note ? <p className="small muted">{ex.status === 'waived' ? 'Reason' : 'Note'}: {ex.note}</p> : null}
      {ex.evidence.length ? (
        <ul className="qc-evidence">
          {ex.evidence.map((e, i) => <li key={i}><EvidenceLink packageId={packageId} file={e.file} page={e.page} />{e.seen ? <>: <q>{e.seen}</q></> : null}</li>)}
        </ul>
      ) : null}
      {canDecide && open ? (
        <>
          <div className="row-actions">
            <ActionButton onClick={() => decide({ action: 'resolve' })}>Resolved</ActionButton>
            <ActionButton onClick={() => decide({ action: 'request' })} title="Drafts an email to the client; someone else approves it">Request from client</ActionButton>
          </div>
          <div className="qc-waive">
            <input type="text" aria-label="Reason to waive" placeholder="Reason to waive" value={reason} onChange={(e) => setReason(e.target.value)} />
            <ActionButton tone="danger" disabled={reason.trim().length < 3} onClick={() => decide({ action: 'waive', reason })}>Waive</ActionButton>
          </div>
        </>
      ) : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
    </div>
  );
}

function NewPackage({ onCreated }: { onCreated: (id: string) => void }) {
  const checklists = useLoad(() => api.GET('/api/v1/document-checklists'), []);
  const [name, setName] = useState('');
  const [borrower, setBorrower] = useState('');
  const [email, setEmail] = useState('');
  const [checklist, setChecklist] = useState('purchase');
  return (
    <details className="card qc-new">
      <summary>New package</summary>
      <div className="qc-form">
        <label>Client file<input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Stiles purchase" /></label>
        <label>Borrower<input type="text" value={borrower} onChange={(e) => setBorrower(e.target.value)} placeholder="as on the documents" /></label>
        <label>Client email<input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="for document requests" /></label>
        <label>Checklist<select value={checklist} onChange={(e) => setChecklist(e.target.value)}>
          {(checklists.data?.checklists ?? [{ id: 'purchase', label: 'Purchase mortgage' }]).map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
        </select></label>
        <ActionButton tone="primary" disabled={!name.trim()} onClick={async () => {
          const r = await must<{ id: string }>(api.POST('/api/v1/document-packages', { body: { name, checklist, borrowers: borrower.trim() ? [borrower.trim()] : [], clientEmail: email.trim() || null } }));
          setName(''); setBorrower(''); setEmail('');
          onCreated(r.id);
        }}>Create</ActionButton>
      </div>
    </details>
  );
}

function PackageReport({ id, canDecide, onChange }: { id: string; canDecide: boolean; onChange: () => void }) {
  const report = useLoad(() => loadReport(id), [id]);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = () => { report.reload(); onChange(); };
  const r = report.data;
  if (report.error) return <ErrorBox error={report.error} />;
  if (!r) return <p className="muted">Loading…</p>;
  return (
    <div>
      <Card title={<span>{r.name} <Badge tone={STATUS_TONE[r.status]}>{words(r.status)}</Badge></span>}>
        <p className="strong" data-testid="verdict">{r.verdict}</p>
        <p className="small muted">{r.checklist.label} · checked against {r.asOf} · borrower: {r.borrowers.join(', ') || 'unknown'}{r.borrowersInferred ? ' (from the documents)' : ''}</p>
        {r.status !== 'submitted' ? (
          <label className="small">Add PDFs or scans (at most 25 MiB each)
            <input type="file" multiple accept="application/pdf,image/png,image/jpeg" disabled={busy} onChange={async (e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              setBusy(true); setUploadError(null);
              for (const f of files) {
                const res = await uploadFile(id, f);
                if (res.error) setUploadError(`${f.name}: ${errorText(res.error)}`);
              }
              setBusy(false);
              reload();
            }} />
          </label>
        ) : null}
        {busy ? <p className="small muted">Reading and checking…</p> : null}
        {uploadError ? <p className="error" role="alert">{uploadError}</p> : null}
        <div className="row-actions qc-exports">
          <a className="btn" href={`/api/v1/document-packages/${id}/report.md`} download>Markdown</a>
          <a className="btn" href={`/api/v1/document-packages/${id}/report.pdf`} download>PDF</a>
          {canDecide && r.status === 'ready' ? <ActionButton tone="primary" onClick={async () => { await must(api.POST('/api/v1/document-packages/{id}/submit', { params: { path: { id } } })); reload(); }}>Mark submitted</ActionButton> : null}
        </div>
      </Card>
      <h2>Exceptions</h2>
      {r.exceptions.length === 0 ? <Empty>No exceptions{r.documents.length ? '' : ' yet: add the client\'s documents'}.</Empty> : r.exceptions.map((ex) => <ExceptionCard key={ex.id} ex={ex} packageId={id} canDecide={canDecide} onChange={reload} />)}
      <h2>Documents read</h2>
      <table className="rtable">
        <thead><tr><th>File</th><th>Pages</th><th>Type</th><th>Key fields</th></tr></thead>
        <tbody>
          {r.documents.map((d) => (
            <tr key={`${d.file}#${d.pages[0]}`}>
              <td data-label="File" className="qc-file">{d.file}</td>
              <td data-label="Pages">{d.pages.length > 1 ? `${d.pages[0]}–${d.pages.at(-1)}` : d.pages[0]}</td>
              <td data-label="Type">{words(d.type)}{d.blank ? <> <Badge tone="warn">blank</Badge></> : null}</td>
              <td data-label="Key fields" className="wrap small">{Object.entries(d.fields).map(([k, v]) => `${k}: ${show(k, v.value)}`).join(' · ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The Documents page: loan packages, their exception report with evidence, resolve / waive / request, exports. */
export default function DocumentsPage() {
  const { canDecide } = useSession();
  const list = useLoad(() => api.GET('/api/v1/document-packages'), []);
  const ledger = useLoad(() => api.GET('/api/v1/document-qc/ledger', { params: { query: { weeks: 8 } } }), []);
  const [selected, setSelected] = useState<string | null>(null);
  const packages = list.data?.packages ?? [];
  const current = selected ?? packages[0]?.id ?? null;
  const l = ledger.data;
  return (
    <Page title="Documents">
      <div className="grid">
        <Card title="First-check exception rate"><div className="stat">{l?.rate == null ? '—' : `${Math.round(l.rate * 100)}%`}</div><div className="small muted">{l ? `${l.withExceptions} of ${l.firstChecks} packages, last ${l.weeks.length} weeks` : ''}</div></Card>
        <Card title="Review time saved"><div className="stat">{l ? `${Math.round(l.reviewMinutes / 6) / 10} h` : '—'}</div><div className="small muted">documents checked automatically</div></Card>
      </div>
      {l && l.firstChecks > 0 ? <QcTrend weeks={l.weeks} /> : null}
      <ErrorBox error={list.error} />
      <div className="qc-layout">
        <div>
          <Card title="Packages">
            {list.data && packages.length === 0 ? <Empty>No packages yet.</Empty> : null}
            <ul className="qc-list">
              {packages.map((p) => (
                <li key={p.id}><button type="button" aria-current={p.id === current} onClick={() => setSelected(p.id)}>
                  <span>{p.name}</span><Badge tone={STATUS_TONE[p.status]}>{p.open ? `${p.open} open` : words(p.status)}</Badge>
                </button></li>
              ))}
            </ul>
          </Card>
          <NewPackage onCreated={(id) => { setSelected(id); list.reload(); }} />
        </div>
        {current ? <PackageReport key={current} id={current} canDecide={canDecide} onChange={() => { list.reload(); ledger.reload(); }} /> : <Empty>Create a package, then add the client's PDFs and scans.</Empty>}
      </div>
    </Page>
  );
}
