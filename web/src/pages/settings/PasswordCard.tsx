import { useState } from 'react';
import { Card, ErrorBox } from '../../ui';
import { call } from '../../api/admin';

/** The logged-in person changes their own password (their other browsers are logged out). */
export function PasswordCard() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [err, setErr] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const save = async () => {
    setErr(null); setDone(false);
    const r = await call('PUT', '/api/v1/me/password', { current, password: next });
    if (r.error) return setErr(r.error);
    setDone(true); setCurrent(''); setNext('');
  };
  return (
    <Card title="Your password">
      <div className="settings-grid">
        <label>Current password<input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} /></label>
        <label>New password (10+ characters)<input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} /></label>
      </div>
      <ErrorBox error={err} />
      {done ? <p className="ok-msg" role="status">Password changed. Your other browsers and phones are logged out.</p> : null}
      <button type="button" className="btn" disabled={!current || next.length < 10} onClick={() => void save()}>Change password</button>
    </Card>
  );
}
