import { useState } from 'react';
import { ActionButton, Badge, Card, Empty, ErrorBox, useLoad } from '../../ui';
import { call, must } from '../../api/admin';
import { Locked } from './Problems';

interface User { id: string; name: string; email: string | null; role: 'owner' | 'staff' | 'implementer' | null }

/** The people who log in to this business: list, add (with a first password), remove. */
export function UsersCard({ canEdit, isOwner, myId }: { canEdit: boolean; isOwner: boolean; myId: string }) {
  const users = useLoad(() => (canEdit ? call<{ users: User[] }>('GET', '/api/v1/users') : Promise.resolve({ data: { users: [] } })), [canEdit]);
  const [form, setForm] = useState({ name: '', email: '', role: 'staff', password: '' });
  const [err, setErr] = useState<unknown>(null);
  const [done, setDone] = useState('');
  if (!canEdit) return <Card title="People"><Locked what="who can log in" /></Card>;
  const add = async () => {
    setErr(null); setDone('');
    const r = await call<{ user: User }>('POST', '/api/v1/users', { name: form.name, email: form.email, role: form.role });
    if (r.error) return setErr(r.error);
    if (form.password) {
      const p = await call('PUT', `/api/v1/users/${r.data!.user.id}/password`, { password: form.password });
      if (p.error) { setErr(p.error); users.reload(); return; }
    }
    setDone(`${form.name} added${form.password ? ': they can log in with that email and password' : ''}.`);
    setForm({ name: '', email: '', role: 'staff', password: '' });
    users.reload();
  };
  return (
    <Card title="People">
      <ErrorBox error={users.error} />
      {users.data?.users.length ? (
        <ul className="list">
          {users.data.users.map((u) => (
            <li key={u.id} className="item-head">
              <div><div className="item-title">{u.name} {u.id === myId ? <Badge tone="info">you</Badge> : null}</div><div className="meta">{u.email ?? 'no email'}</div></div>
              <div className="row"><Badge>{u.role}</Badge>{u.id !== myId ? <ActionButton tone="danger" onClick={async () => { await must('DELETE', `/api/v1/users/${u.id}`); users.reload(); }}>Remove</ActionButton> : null}</div>
            </li>
          ))}
        </ul>
      ) : users.loading ? null : <Empty>Only you so far.</Empty>}
      <h3>Add a person</h3>
      <div className="settings-grid">
        <label>Name<input type="text" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
        <label>Email<input type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} /></label>
        <label>Role
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            <option value="staff">Staff: sees everything, approves and replies</option>
            {isOwner ? <option value="owner">Owner: everything, incl. policy</option> : null}
            <option value="implementer">Implementer: sets AIOS up</option>
          </select>
        </label>
        <label>First password (optional)<input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} /></label>
      </div>
      <ErrorBox error={err} />
      {done ? <p className="ok-msg" role="status">{done}</p> : null}
      <button type="button" className="btn btn-primary" disabled={!form.name || !form.email} onClick={() => void add()}>Add person</button>
    </Card>
  );
}
