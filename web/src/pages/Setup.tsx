import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, errorText } from '../api/client';
import type { paths } from '../api/schema';
import { Badge, Card, ErrorBox, Page, useLoad } from '../ui';
import './setup.css';

type Checklist = paths['/api/v1/onboarding']['get']['responses'][200]['content']['application/json'];
type Crawl = paths['/api/v1/knowledge/website']['post']['responses'][200]['content']['application/json'];
type ImportKind = 'contacts' | 'invoices';

/** Steps done on this page are linked to their card; the rest to their own page. */
const ANCHOR: Record<string, string> = { contacts: '#import', invoices: '#import', knowledge: '#website' };

function Checklist({ list }: { list: Checklist }) {
  const pct = Math.round((list.doneCount / list.total) * 100);
  return (
    <Card title="Your set-up">
      <div className="setup-progress" aria-label={`${list.doneCount} of ${list.total} steps done`}>
        <div className="setup-bar"><span style={{ width: `${pct}%` }} /></div>
        <strong>{list.doneCount}/{list.total}</strong>
      </div>
      <ol className="setup-steps">
        {list.steps.map((s) => (
          <li key={s.id} data-step={s.id}>
            <span className={`setup-mark ${s.done ? 'done' : ''}`} aria-hidden>{s.done ? '✓' : ''}</span>
            <span>
              <span className="setup-step-title">{s.title}</span> {s.done ? <Badge tone="good">done</Badge> : s.id === list.next ? <Badge tone="info">next</Badge> : null}
              <span className="muted small" style={{ display: 'block' }}>{s.detail}</span>
            </span>
            {!s.done ? (
              <span className="setup-next">
                {ANCHOR[s.id] ? <a href={ANCHOR[s.id]}>Do it below</a> : <Link href={s.page}>Open {s.page.slice(1) || 'page'}</Link>}
                <span className="muted">or run <code>{s.command}</code></span>
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </Card>
  );
}

function WebsiteCard({ onDone }: { onDone: () => void }) {
  const [url, setUrl] = useState('');
  const [maxPages, setMaxPages] = useState('50');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Crawl | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    const n = Number(maxPages);
    const { data, error: err } = await api.POST('/api/v1/knowledge/website', { body: { url: url.trim(), ...(Number.isInteger(n) && n > 0 ? { maxPages: n } : {}) } }).catch((x: unknown) => ({ data: undefined, error: { message: String(x) } }));
    setBusy(false);
    if (err || !data) return setError(err ?? { message: 'No answer from AIOS.' });
    setResult(data);
    onDone();
  };
  const added = result?.pages.filter((p) => p.status === 'added').length ?? 0;
  return (
    <Card title="Teach AIOS from your website" className="setup-website">
      <span id="website" />
      <p className="muted small">AIOS reads the public pages of your site (or its sitemap.xml), only on that site, respecting robots.txt. Customers get answers from them, with a link to the page.</p>
      <form className="setup-form" onSubmit={(e) => void submit(e)}>
        <label>Website or sitemap address<input type="url" name="url" required inputMode="url" placeholder="https://your-business.com/" value={url} onChange={(e) => setUrl(e.target.value)} /></label>
        <div className="setup-row">
          <label>Pages at most<input type="number" name="maxPages" min={1} max={500} value={maxPages} onChange={(e) => setMaxPages(e.target.value)} /></label>
          <button type="submit" className="btn btn-primary" disabled={busy || !url.trim()}>{busy ? 'Reading…' : 'Read my website'}</button>
        </div>
      </form>
      <ErrorBox error={error} />
      {result ? (
        <div className="setup-result" role="status">
          <p><strong>{result.pages.length} pages read</strong> — {added} added, {result.pages.length - added} already known{result.skipped.length ? `, ${result.skipped.length} skipped` : ''}{result.stoppedBy === 'max_pages' ? ' (page limit reached)' : result.stoppedBy === 'time_budget' ? ' (time limit reached)' : ''}.</p>
          <ul className="setup-pages">
            {result.pages.map((p) => (
              <li key={p.url}>{p.title} {p.status === 'added' ? <Badge tone="good">added</Badge> : <Badge>unchanged</Badge>} {p.cut ? <Badge tone="warn">cut: very long</Badge> : null}<span className="muted small">{p.url}</span></li>
            ))}
          </ul>
          {result.skipped.length ? (
            <details className="setup-skipped">
              <summary>{result.skipped.length === 1 ? '1 address' : `${result.skipped.length} addresses`} skipped — why</summary>
              <ul className="setup-pages">
                {result.skipped.map((s) => <li key={s.url}><span className="small">{s.url}</span><span className="muted small">{s.reason}</span></li>)}
              </ul>
            </details>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}

function UploadRow({ kind, label, hint, onDone }: { kind: ImportKind; label: string; hint: string; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setMsg(null);
    const text = await file.text();
    const { data, error: err } = await api.POST('/api/v1/imports/{kind}', { params: { path: { kind } }, body: text, bodySerializer: (b) => b ?? "", headers: { 'Content-Type': 'text/csv' } });
    setBusy(false);
    if (err) return setError(err);
    const r = data as unknown as { imported?: number; updated?: number; skipped?: number; format?: string };
    setMsg(`${r.imported ?? 0} imported, ${r.updated ?? 0} updated, ${r.skipped ?? 0} rows skipped${r.format ? ` (${r.format} export)` : ''}.`);
    onDone();
  };
  return (
    <div className="setup-upload">
      <label>{label}<input type="file" name={kind} accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></label>
      <span className="muted small">{hint}</span>
      <div><button type="button" className="btn" disabled={!file || busy} onClick={() => void upload()}>{busy ? 'Importing…' : `Import ${kind}`}</button></div>
      {msg ? <p role="status">{msg}</p> : null}
      {error ? <div className="error" role="alert">{errorText(error)}</div> : null}
    </div>
  );
}

/** Set up: the onboarding checklist with progress, the website crawl, CSV imports, links onward. */
export default function SetupPage() {
  const { data, error, loading, reload } = useLoad(() => api.GET('/api/v1/onboarding'));
  return (
    <Page title="Set up">
      {error ? <ErrorBox error={error} /> : null}
      {data ? <Checklist list={data} /> : loading ? <p className="muted">Loading…</p> : null}
      <WebsiteCard onDone={reload} />
      <Card title="Import contacts and invoices">
        <span id="import" />
        <UploadRow kind="contacts" label="Contacts (CSV)" hint="An export from HubSpot or Pipedrive, or any file with name, email and phone columns." onDone={reload} />
        <UploadRow kind="invoices" label="Invoices (CSV)" hint="An export from QuickBooks Online or Xero." onDone={reload} />
      </Card>
      <Card title="Then">
        <div className="setup-links">
          <Link href="/connections" className="btn">Connect mail and calendar</Link>
          <Link href="/audit" className="btn">Run the audit</Link>
        </div>
      </Card>
    </Page>
  );
}
