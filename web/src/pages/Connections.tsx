import { useState } from 'react';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, ago, useLoad } from '../ui';
import { useSession } from '../session';
import { call, must } from '../api/admin';
import '../admin.css';

interface Connection { id: string; kind: string; name: string; status: 'ok' | 'error' | 'auth_failed' | 'disabled'; last_sync_at: string | null; last_error: string | null; failures: number; next_retry_at: string | null; backlog: number }

const STATUS: Record<Connection['status'], { tone: 'good' | 'warn' | 'bad' | 'neutral'; label: string; words: string }> = {
  ok: { tone: 'good', label: 'working', words: '' },
  error: { tone: 'warn', label: 'trouble', words: 'The last tries failed; AIOS keeps retrying by itself.' },
  auth_failed: { tone: 'bad', label: 'login refused', words: 'The service refused the user name or password. AIOS stopped trying: enter the new password (see below), then poll now.' },
  disabled: { tone: 'neutral', label: 'off', words: 'Turned off.' },
};

function IcsForm({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [err, setErr] = useState<unknown>(null);
  const add = async () => {
    setErr(null);
    const r = await call('POST', '/api/v1/connections', { kind: 'ics', name: name || 'Calendar feed', credentials: { url } });
    if (r.error) return setErr(r.error);
    setName(''); setUrl(''); onAdded();
  };
  return (
    <>
      <h3>Add a calendar feed (ICS)</h3>
      <div className="settings-grid">
        <label>Name<input type="text" value={name} placeholder="Jobs calendar" onChange={(e) => setName(e.target.value)} /></label>
        <label>Feed address<input type="text" inputMode="url" value={url} placeholder="https://…/calendar.ics" onChange={(e) => setUrl(e.target.value)} /></label>
      </div>
      <ErrorBox error={err} />
      <button type="button" className="btn btn-primary" disabled={!url.trim()} onClick={() => void add()}>Add feed</button>
    </>
  );
}

/** Connections: each one's health in words, last sync, poll now; how to add more. */
export default function ConnectionsPage() {
  const { canAdminister } = useSession();
  const list = useLoad(() => call<{ connections: Connection[] }>('GET', '/api/v1/connections'));
  return (
    <Page title="Connections" actions={<button type="button" className="btn" onClick={list.reload}>Refresh</button>}>
      <ErrorBox error={list.error} />
      {list.data?.connections.length ? list.data.connections.map((c) => {
        const st = STATUS[c.status];
        return (
          <Card key={c.id}>
            <div className="item-head">
              <div><div className="item-title">{c.name}</div><div className="meta">{c.kind} · last sync {c.last_sync_at ? ago(c.last_sync_at) : 'never'}{c.backlog ? ` · ${c.backlog} waiting` : ''}</div></div>
              <Badge tone={st.tone}>{st.label}</Badge>
            </div>
            {c.status !== 'ok' ? <p className="note">{st.words}{c.next_retry_at && c.status === 'error' ? ` Next try ${ago(c.next_retry_at).replace(' ago', '')}.` : ''}</p> : null}
            {c.last_error ? <div className="error">Last error: {c.last_error}</div> : null}
            {canAdminister ? <ActionButton onClick={async () => { await must('POST', `/api/v1/connections/${c.id}/poll`); setTimeout(list.reload, 2500); }}>Poll now</ActionButton> : null}
          </Card>
        );
      }) : list.loading ? null : <Card><Empty>No connections yet. Connect your mailbox and calendar so AIOS sees what comes in.</Empty></Card>}
      <Card title="Add a connection">
        {canAdminister ? null : <p className="locked">The owner or implementer adds connections.</p>}
        <p className="note">Mailboxes and calendars with a password are added on the AIOS machine (the password never passes through a browser form):</p>
        <ul className="list">
          <li><div className="meta">Your mailbox (it asks the questions):</div><code className="cmd">npx aios connect imap</code></li>
          <li><div className="meta">Your calendar:</div><code className="cmd">npx aios connect caldav</code></li>
          <li><div className="meta">Check them:</div><code className="cmd">npx aios connections</code></li>
        </ul>
        <p className="note">To fix a refused password, run the same <code>aios connect</code> command again with the new password.</p>
        {canAdminister ? <IcsForm onAdded={list.reload} /> : null}
      </Card>
    </Page>
  );
}
