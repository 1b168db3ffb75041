import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { errorText } from './api/client';

/** A page: its title, optional actions on the right, then its content. */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · AIOS`;
  }, [title]);
  return (
    <section className="page">
      <header className="page-head">
        <h1>{title}</h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

/** A bordered block with an optional heading. */
export function Card({ title, children, className }: { title?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div className={`card ${className ?? ''}`}>
      {title ? <h2 className="card-title">{title}</h2> : null}
      {children}
    </div>
  );
}

/** What an empty list says (what will appear here, and how to get some). */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** An error answer shown as the server wrote it: message and what to do next. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return <div className="error" role="alert">{errorText(error)}</div>;
}

/** Marks text that came from outside the business (a customer, an email, a model reading them). */
export function Untrusted({ label, children }: { label: string; children: ReactNode }) {
  return (
    <blockquote className="untrusted">
      <span className="untrusted-label">From outside · {label}</span>
      <div className="untrusted-text">{children}</div>
    </blockquote>
  );
}

/** A small coloured label. */
export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Money in cents as the business's currency (default CAD). */
export function money(cents: number | null | undefined, currency = 'CAD'): string {
  if (cents === null || cents === undefined) return '—';
  return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);
}

/** A time in the business's time zone, in the browser's hour cycle: "Tue 2:05 PM", or "Jan 3, 2:05 PM" outside this week. */
export function when(iso: string | Date | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const week = Math.abs(Date.now() - d.getTime()) < 6 * 86_400_000;
  return new Intl.DateTimeFormat(undefined, week ? { weekday: 'short', hour: 'numeric', minute: '2-digit', timeZone } : { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit', timeZone }).format(d);
}

/** "5 min ago", "3 h ago", "2 d ago". */
export function ago(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/**
 * Loads data with `load` (an API call returning `{data, error}` as openapi-fetch does); reloads
 * when `deps` change or `reload()` is called. Keeps the last data while reloading.
 */
export function useLoad<T>(load: () => Promise<{ data?: T; error?: unknown }>, deps: unknown[] = []): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [n, setN] = useState(0);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    setState((s) => ({ ...s, loading: true }));
    load()
      .then((r) => alive.current && setState({ data: r.data, error: r.error ?? null, loading: false }))
      .catch((e: unknown) => alive.current && setState((s) => ({ ...s, error: { message: String(e) }, loading: false })));
    return () => {
      alive.current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [n, ...deps]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { ...state, reload };
}

/** A button that runs an async action once at a time and shows its error. */
export function ActionButton({ onClick, children, tone = 'default', disabled, title }: { onClick: () => Promise<unknown>; children: ReactNode; tone?: 'default' | 'primary' | 'danger'; disabled?: boolean; title?: string }) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  return (
    <span className="action">
      <button type="button" className={`btn btn-${tone}`} disabled={busy || disabled} title={title} onClick={() => {
        setBusy(true);
        setErr(null);
        onClick().catch((e: unknown) => setErr(e)).finally(() => setBusy(false));
      }}>
        {busy ? '…' : children}
      </button>
      {err ? <ErrorBox error={err} /> : null}
    </span>
  );
}
