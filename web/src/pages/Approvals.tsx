import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorText } from '../api/client';
import type { paths } from '../api/schema';
import { useSession } from '../session';
import { useLiveReload, useLiveUp } from '../live';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, Untrusted, ago, useLoad } from '../ui';
import '../inbox.css';

type Inbox = paths['/api/v1/approvals/inbox']['get']['responses'][200]['content']['application/json'];
type Item = Inbox['approvals'][number];

/** Text of a policy reason (`{rule, decision, detail}`), or whatever the server sent. */
function reasonText(r: unknown): string {
  if (typeof r === 'string') return r;
  const x = r as { detail?: string; rule?: string } | null;
  return x?.detail ?? x?.rule ?? JSON.stringify(r);
}

/** The text AIOS would send (SMS or email body), or a summary of another action. */
function proposedText(it: Item): string {
  const p = it.proposal as { body?: unknown; summary?: unknown; subject?: unknown };
  if (typeof p.body === 'string') return p.body;
  if (typeof p.summary === 'string') return p.summary;
  return JSON.stringify(it.proposal);
}

/** Throws the API's error answer so ActionButton shows it. */
async function must<T>(r: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  const res = await r;
  if (res.error) throw res.error;
  return res.data as T;
}

type Mode = { kind: 'view' } | { kind: 'edit'; text: string } | { kind: 'reject'; reason: string; teach: boolean; question: string };

/** One approval: who, the conversation, why AIOS asks, what it would send, and the decision. */
function ApprovalCard({ it, active, selected, canDecide, mode, setMode, onSelect, onDone, onFocus }: {
  it: Item; active: boolean; selected: boolean; canDecide: boolean; mode: Mode; setMode: (m: Mode) => void;
  onSelect: () => void; onDone: (note: string) => void; onFocus: () => void;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (active) void ref.current?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  const who = it.contact?.name ?? it.recipient ?? 'Unknown';
  const address = it.recipient ?? '';
  const approve = (body?: string) => must(api.POST('/api/v1/approvals/{id}/approve', { params: { path: { id: it.id } }, body: body === undefined ? {} : { body } })).then(() => onDone(body === undefined ? `Approved: sent to ${who}.` : `Approved with your edit: sent to ${who}.`));
  const reject = async (m: Extract<Mode, { kind: 'reject' }>) => {
    await must(api.POST('/api/v1/approvals/{id}/reject', { params: { path: { id: it.id } }, body: { reason: m.reason } }));
    if (m.teach) {
      await must(api.POST('/api/v1/approvals/{id}/teach', { params: { path: { id: it.id } }, body: { question: m.question, answer: m.reason } }));
      onDone(`Rejected. AIOS now answers "${m.question}" with your reason.`);
    } else onDone('Rejected. Your reason was kept.');
  };
  return (
    <article ref={ref} className={`card approval ${active ? 'is-active' : ''} ${selected ? 'is-selected' : ''}`} aria-label={`Approval for ${who}`} onClick={onFocus}>
      <header className="approval-head">
        {canDecide ? (
          <label className="approval-check" onClick={(e) => e.stopPropagation()}>
            <input type="checkbox" checked={selected} onChange={onSelect} aria-label={`Select approval for ${who}`} />
          </label>
        ) : null}
        <div className="approval-who">
          <strong>{who}</strong>
          {address ? <a className="approval-addr" href={address.includes('@') ? `mailto:${address}` : `tel:${address}`}>{address}</a> : null}
        </div>
        <div className="approval-meta">
          <Badge tone="info">{it.actionKind === 'sms.send' ? 'Text' : it.actionKind}</Badge>
          <span className="muted small">{ago(it.createdAt)}</span>
        </div>
      </header>

      {it.conversation && it.conversation.messages.length ? (
        <div className="thread-mini" aria-label="Conversation">
          {it.conversation.messages.map((m) => m.untrusted
            ? <Untrusted key={m.id} label={`customer · ${ago(m.at)}`}>{m.body}</Untrusted>
            : <p key={m.id} className="bubble-out"><span className="muted small">Sent · {ago(m.at)}</span><br />{m.body}</p>)}
        </div>
      ) : null}
      {/* The approval's outside parts, unless the same words are already shown in the conversation above. */}
      {it.untrusted.filter((u) => !it.conversation?.messages.some((m) => m.untrusted && m.body.trim() === u.text.trim())).map((u, i) => <Untrusted key={i} label={u.label}>{u.text}</Untrusted>)}

      <div className="why">
        <span className="muted small">Why AIOS asks you</span>
        <ul>{it.reasons.map((r, i) => <li key={i}>{reasonText(r)}</li>)}</ul>
      </div>

      {mode.kind === 'edit' ? (
        <label>Your text to {who}
          <textarea rows={4} value={mode.text} autoFocus onChange={(e) => setMode({ kind: 'edit', text: e.target.value })} aria-label="Edited text" />
        </label>
      ) : (
        <div className="proposed">
          <span className="muted small">AIOS will send{it.segments ? ` (${it.segments} SMS)` : ''}</span>
          <p className="proposed-text">{proposedText(it)}</p>
        </div>
      )}

      {mode.kind === 'reject' ? (
        <div className="reject-form">
          <label>Why not? (kept; can become an answer)
            <textarea rows={2} value={mode.reason} autoFocus placeholder="e.g. We don't work Sundays." onChange={(e) => setMode({ ...mode, reason: e.target.value })} aria-label="Reason" />
          </label>
          <label className="inline-check">
            <input type="checkbox" checked={mode.teach} onChange={(e) => setMode({ ...mode, teach: e.target.checked })} />
            Remember this as the answer for customers
          </label>
          {mode.teach ? (
            <label>The question it answers
              <input type="text" value={mode.question} onChange={(e) => setMode({ ...mode, question: e.target.value })} aria-label="Question" />
            </label>
          ) : null}
        </div>
      ) : null}

      {it.proposedByYou ? <p className="muted small">You proposed this, so someone else must decide it.</p> : null}
      {canDecide ? (
        <footer className="approval-actions">
          {mode.kind === 'view' ? (
            <>
              <ActionButton tone="primary" onClick={() => approve()} disabled={it.proposedByYou}>Approve</ActionButton>
              <button type="button" className="btn" disabled={it.proposedByYou} onClick={() => setMode({ kind: 'edit', text: proposedText(it) })}>Edit</button>
              <button type="button" className="btn btn-danger" disabled={it.proposedByYou} onClick={() => setMode({ kind: 'reject', reason: '', teach: false, question: it.question ?? '' })}>Reject</button>
            </>
          ) : mode.kind === 'edit' ? (
            <>
              <ActionButton tone="primary" onClick={() => approve(mode.text)} disabled={!mode.text.trim()}>Approve edited text</ActionButton>
              <button type="button" className="btn" onClick={() => setMode({ kind: 'view' })}>Cancel</button>
            </>
          ) : (
            <>
              <ActionButton tone="danger" onClick={() => reject(mode)} disabled={!mode.reason.trim() || (mode.teach && !mode.question.trim())}>{mode.teach ? 'Reject and remember' : 'Reject'}</ActionButton>
              <button type="button" className="btn" onClick={() => setMode({ kind: 'view' })}>Cancel</button>
            </>
          )}
        </footer>
      ) : null}
    </article>
  );
}

/** The approvals inbox: pending decisions with their context; approve, edit, reject, or several at once. */
export default function ApprovalsPage() {
  const { canDecide } = useSession();
  const live = useLiveUp();
  const { data, error, loading, reload } = useLoad(() => api.GET('/api/v1/approvals/inbox'), []);
  useLiveReload(['approval'], reload);
  const items = data?.approvals ?? [];
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [modes, setModes] = useState<Record<string, Mode>>({});
  const [note, setNote] = useState<string | null>(null);
  const [batchError, setBatchError] = useState<unknown>(null);
  const modeOf = (id: string): Mode => modes[id] ?? { kind: 'view' };
  const setMode = useCallback((id: string, m: Mode) => setModes((x) => ({ ...x, [id]: m })), []);
  const done = useCallback((id: string, text: string) => {
    setNote(text);
    setModes((x) => ({ ...x, [id]: { kind: 'view' } }));
    setSelected((s) => {
      const n = new Set(s);
      n.delete(id);
      return n;
    });
    reload();
  }, [reload]);
  const toggle = (id: string) => setSelected((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });

  // Keyboard (desktop): j/k move, a approve, e edit, r reject, x select. Not while typing, nor as the second key of `g a`.
  const state = useRef({ items, active, canDecide, lastG: 0 });
  state.current = { ...state.current, items, active, canDecide };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.metaKey || e.ctrlKey || e.altKey || (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)))) return;
      const s = state.current;
      if (e.key === 'g') {
        s.lastG = Date.now();
        return;
      }
      if (Date.now() - s.lastG < 1500) return;
      const it = s.items[s.active];
      if (e.key === 'j') setActive((i) => Math.min(i + 1, Math.max(0, s.items.length - 1)));
      else if (e.key === 'k') setActive((i) => Math.max(i - 1, 0));
      else if (!it || !s.canDecide || it.proposedByYou) return;
      else if (e.key === 'x') toggle(it.id);
      else if (e.key === 'e') setMode(it.id, { kind: 'edit', text: proposedText(it) });
      else if (e.key === 'r') setMode(it.id, { kind: 'reject', reason: '', teach: false, question: it.question ?? '' });
      else if (e.key === 'a') {
        void must(api.POST('/api/v1/approvals/{id}/approve', { params: { path: { id: it.id } }, body: {} }))
          .then(() => done(it.id, `Approved: sent to ${it.contact?.name ?? it.recipient ?? 'the customer'}.`))
          .catch((err: unknown) => setNote(errorText(err)));
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [done, setMode]);
  useEffect(() => {
    if (active >= items.length && items.length) setActive(items.length - 1);
  }, [items.length, active]);

  const approveSelected = async () => {
    setBatchError(null);
    const ids = [...selected].filter((id) => items.some((i) => i.id === id));
    const r = await api.POST('/api/v1/approvals/batch', { body: { ids, decision: 'approved' } });
    if (r.error) return setBatchError(r.error);
    const failed = r.data.results.filter((x) => !x.ok);
    setSelected(new Set(failed.map((f) => f.id)));
    setNote(`Approved ${r.data.decided} of ${ids.length}.${failed.length ? ' Not approved: ' + failed.map((f) => f.message).join('; ') : ''}`);
    reload();
  };

  return (
    <Page title={`Approvals${items.length ? ` (${items.length})` : ''}`} actions={<span className={`live-dot ${live ? 'on' : ''}`} title={live ? 'Live: new approvals appear by themselves' : 'Reconnecting…'}>{live ? 'Live' : 'Offline'}</span>}>
      {!canDecide ? <Card><p className="muted">You can read the approvals here; deciding them is for the owner or staff (your role sets things up).</p></Card> : null}
      {note ? <p className="note" role="status">{note} <button type="button" className="btn-link" onClick={() => setNote(null)}>Dismiss</button></p> : null}
      <ErrorBox error={error} />
      {!loading && !items.length && !error ? <Empty>Nothing waits for you. When AIOS needs your yes before it texts or emails someone, it appears here (and on your phone).</Empty> : null}
      {items.map((it, i) => (
        <ApprovalCard key={it.id} it={it} active={i === active} selected={selected.has(it.id)} canDecide={canDecide}
          mode={modeOf(it.id)} setMode={(m) => setMode(it.id, m)} onSelect={() => toggle(it.id)} onFocus={() => setActive(i)}
          onDone={(text) => done(it.id, text)} />
      ))}
      {canDecide && items.length > 1 ? <p className="muted small keys-hint">Keys: <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> approve · <kbd>e</kbd> edit · <kbd>r</kbd> reject · <kbd>x</kbd> select</p> : null}
      {selected.size > 0 ? (
        <div className="batch-bar" role="region" aria-label="Selected approvals">
          <span>{selected.size} selected</span>
          <ActionButton tone="primary" onClick={approveSelected}>Approve {selected.size}</ActionButton>
          <button type="button" className="btn" onClick={() => setSelected(new Set())}>Clear</button>
          {batchError ? <ErrorBox error={batchError} /> : null}
        </div>
      ) : null}
    </Page>
  );
}
