import { useEffect, useRef, useState } from 'react';
import { Link, useRoute } from 'wouter';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { useSession } from '../session';
import { useLiveReload } from '../live';
import { ActionButton, Badge, Empty, ErrorBox, Page, Untrusted, ago, useLoad } from '../ui';
import '../inbox.css';

type Thread = paths['/api/v1/conversations/inbox']['get']['responses'][200]['content']['application/json']['conversations'][number];

const CHANNEL: Record<string, string> = { sms: 'Text', email: 'Email', webchat: 'Web chat', widget: 'Web chat', voice: 'Call', call: 'Call' };
const channelName = (c: string) => CHANNEL[c] ?? c;

/** One row of the inbox: who, channel, the last message (marked when it came from the customer). */
function ThreadRow({ t, current }: { t: Thread; current: boolean }) {
  return (
    <li className={`thread-row ${current ? 'is-current' : ''}`}>
      <Link href={`/${t.id}`} className="thread-link" aria-current={current ? 'page' : undefined}>
        <span className="thread-top">
          <strong>{t.contact.name ?? t.address}</strong>
          <span className="muted small">{ago(t.lastMessageAt)}</span>
        </span>
        <span className="thread-badges">
          <Badge>{channelName(t.channel)}</Badge>
          {t.state === 'waiting_for_owner' ? <Badge tone="warn">Waiting for you</Badge> : null}
        </span>
        {t.last ? <span className={`thread-last ${t.last.untrusted ? 'from-outside' : ''}`}>{t.last.direction === 'inbound' ? 'Customer: ' : 'You/AIOS: '}{t.last.body}</span> : null}
      </Link>
    </li>
  );
}

/** An open thread: its messages (customer's marked untrusted) and the reply box. */
function ThreadView({ id, onSent }: { id: string; onSent: () => void }) {
  const { canDecide } = useSession();
  const { data, error, reload } = useLoad(() => api.GET('/api/v1/conversations/{id}/messages', { params: { path: { id } } }), [id]);
  useLiveReload(['message'], reload);
  const [text, setText] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Newer Chromium returns a promise here: never hand it to React as a cleanup.
    void end.current?.scrollIntoView({ block: 'end' });
  }, [data?.messages.length]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const cv = data.conversation;
  const send = async () => {
    const r = await api.POST('/api/v1/conversations/{id}/reply', { params: { path: { id } }, body: { body: text } });
    if (r.error) throw r.error;
    setSent(text);
    setText('');
    onSent();
    setTimeout(reload, 800);
  };
  return (
    <div className="thread">
      <header className="thread-head">
        <Link href="/" className="btn btn-link thread-back">← All conversations</Link>
        <h2>{cv.contact.name ?? cv.address}</h2>
        <p className="muted small">
          {channelName(cv.channel)} · <a href={cv.address.includes('@') ? `mailto:${cv.address}` : `tel:${cv.address}`}>{cv.address}</a>
          {cv.state === 'waiting_for_owner' ? <> · <Badge tone="warn">Waiting for you{cv.waitingSince ? ` since ${ago(cv.waitingSince)}` : ''}</Badge></> : null}
        </p>
      </header>
      <div className="thread-messages" aria-label="Messages">
        {data.messages.length === 0 ? <Empty>No messages yet.</Empty> : null}
        {data.messages.map((m) => m.untrusted
          ? <Untrusted key={m.id} label={`customer · ${ago(m.at)}`}>{m.body}</Untrusted>
          : <p key={m.id} className="bubble-out"><span className="muted small">Sent · {ago(m.at)}</span><br />{m.body}</p>)}
        <div ref={end} />
      </div>
      {canDecide && cv.canReply ? (
        <form className="reply" onSubmit={(e) => e.preventDefault()}>
          <label>Reply by text
            <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder="Your answer to the customer" aria-label="Reply" maxLength={1600} />
          </label>
          <div className="reply-actions">
            <span className="muted small">Goes through your policy like every text AIOS sends.</span>
            <ActionButton tone="primary" onClick={send} disabled={!text.trim()}>Send</ActionButton>
          </div>
          {sent ? <p className="note" role="status">Sent to the policy: “{sent}”.</p> : null}
        </form>
      ) : !cv.canReply ? <p className="muted small">Answer this {channelName(cv.channel).toLowerCase()} yourself ({cv.address}); AIOS replies only to texts here for now.</p> : null}
    </div>
  );
}

/** Every channel in one inbox: threads waiting for the owner first; open one to read and reply. */
export default function ConversationsPage() {
  const [, params] = useRoute('/:id');
  const id = params?.id;
  const { data, error, loading, reload } = useLoad(() => api.GET('/api/v1/conversations/inbox'), []);
  useLiveReload(['message'], reload);
  const list = data?.conversations ?? [];
  const waiting = list.filter((t) => t.state === 'waiting_for_owner').length;
  return (
    <Page title={waiting ? `Inbox (${waiting} waiting)` : 'Inbox'}>
      <ErrorBox error={error} />
      <div className={`inbox ${id ? 'has-thread' : ''}`}>
        <ul className="list thread-list" aria-label="Conversations">
          {!loading && !list.length ? <Empty>No conversations yet. Texts, emails, web chats and calls from customers appear here.</Empty> : null}
          {list.map((t) => <ThreadRow key={t.id} t={t} current={t.id === id} />)}
        </ul>
        <section className="thread-pane">
          {id ? <ThreadView id={id} onSent={reload} /> : <p className="muted thread-placeholder">Open a conversation to read it and reply.</p>}
        </section>
      </div>
    </Page>
  );
}
