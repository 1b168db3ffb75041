import { useState, type FormEvent } from 'react';
import { useSession } from './session';

/** Email and password; a wrong pair gets one generic message (the server also slows repeated tries). */
export function LoginPage() {
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(await login(email, password));
    setBusy(false);
  };
  return (
    <main className="login">
      <form className="card login-card" onSubmit={(e) => void submit(e)}>
        <h1>AIOS</h1>
        <p className="muted">Log in to run your business.</p>
        <label>Email<input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} /></label>
        <label>Password<input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        {error ? <div className="error" role="alert">{error}</div> : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button>
        <p className="muted small">First time? <code>npm start</code> printed the owner’s email and password.</p>
      </form>
    </main>
  );
}
