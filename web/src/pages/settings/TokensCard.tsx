import { useState } from 'react';
import { ActionButton, Badge, Card, Empty, ErrorBox, ago, useLoad } from '../../ui';
import { call, must } from '../../api/admin';
import { Locked } from './Problems';

interface Token { id: string; name: string; principal: { name: string; kind: string }; scopes: string[]; status: 'active' | 'expired' | 'revoked'; last_used_at: string | null }
const SCOPES = [['read', 'read'], ['propose', 'propose actions']] as const;

/** API tokens for assistants and integrations: create (shown once), revoke. */
export function TokensCard({ canEdit }: { canEdit: boolean }) {
  const tokens = useLoad(() => (canEdit ? call<{ tokens: Token[] }>('GET', '/api/v1/tokens') : Promise.resolve({ data: { tokens: [] } })), [canEdit]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read', 'propose']);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [err, setErr] = useState<unknown>(null);
  if (!canEdit) return <Card title="API tokens"><Locked what="API tokens" /></Card>;
  const create = async () => {
    setErr(null);
    const r = await call<{ token: string; name: string }>('POST', '/api/v1/tokens', { name, kind: 'assistant', scopes });
    if (r.error) return setErr(r.error);
    setCreated({ name: r.data!.name, token: r.data!.token });
    setName('');
    tokens.reload();
  };
  const active = tokens.data?.tokens.filter((t) => t.status === 'active') ?? [];
  return (
    <Card title="API tokens (assistants, integrations)">
      <ErrorBox error={tokens.error} />
      {active.length ? (
        <ul className="list">
          {active.map((t) => (
            <li key={t.id} className="item-head">
              <div><div className="item-title">{t.name}</div><div className="meta">{t.principal.kind} · {t.scopes.join(', ')} · used {t.last_used_at ? ago(t.last_used_at) : 'never'}</div></div>
              <ActionButton tone="danger" onClick={async () => { await must('POST', `/api/v1/tokens/${t.id}/revoke`); tokens.reload(); }}>Revoke</ActionButton>
            </li>
          ))}
        </ul>
      ) : tokens.loading ? null : <Empty>No active tokens.</Empty>}
      {created ? (
        <div role="status">
          <p className="ok-msg">Token “{created.name}” created. Copy it now: it is shown only once.</p>
          <div className="secret" aria-label="New token">{created.token}</div>
          <button type="button" className="btn btn-link" onClick={() => setCreated(null)}>I have stored it</button>
        </div>
      ) : null}
      <h3>New token</h3>
      <label>Name<input type="text" value={name} placeholder="e.g. claude-desktop" onChange={(e) => setName(e.target.value)} /></label>
      <div className="row" style={{ marginBottom: '.75rem' }}>
        {SCOPES.map(([s, label]) => (
          <label key={s} className="switch"><input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} /> {label}</label>
        ))}
        <Badge tone="info">an assistant proposes; only people approve</Badge>
      </div>
      <ErrorBox error={err} />
      <button type="button" className="btn btn-primary" disabled={!name.trim() || scopes.length === 0} onClick={() => void create()}>Create token</button>
    </Card>
  );
}
