import { useEffect, useState } from 'react';
import { Link, Route, Switch, useParams } from 'wouter';
import { api } from '../api/client';
import { Badge, Card, Empty, ErrorBox, Page, ago, money, useLoad } from '../ui';
import { clock, date, useLiveReload, useZone } from './records/common';
import { as, type Contact } from './records/types';
import './records/records.css';

/** The Contacts page: search, and one contact's page at `/contacts/<id>`. */
export default function ContactsPage() {
  return (
    <Switch>
      <Route path="/:id"><ContactView /></Route>
      <Route><ContactList /></Route>
    </Switch>
  );
}

function ContactList() {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQuery(q.trim()), 250);
    return () => clearTimeout(t);
  }, [q]);
  const { data, error, loading, reload } = useLoad(() => api.GET('/api/v1/contacts', { params: { query: { q: query || undefined, limit: 100 } as never } }), [query]);
  useLiveReload(['contact', 'message'], reload);
  const contacts = as<{ contacts?: Contact[] } | undefined>(data)?.contacts ?? [];
  return (
    <Page title="Contacts">
      <label className="search">
        <span className="sr-only">Search contacts</span>
        <input type="search" placeholder="Search by name, phone or email" value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
      </label>
      <ErrorBox error={error} />
      {!loading && contacts.length === 0 ? <Empty>{query ? `Nobody matches “${query}”.` : 'No contacts yet: they appear when someone calls, texts, writes or fills in a form, or when you import a CSV.'}</Empty> : null}
      <table className="rtable">
        <thead><tr><th>Name</th><th>Phone</th><th>Email</th><th>Since</th></tr></thead>
        <tbody>
          {contacts.map((c) => (
            <tr key={c.id}>
              <td data-label="Name"><Link href={`/${c.id}`} className="strong">{c.name ?? c.phone ?? c.email ?? 'Unknown'}</Link>{c.opted_out_at ? <> <Badge tone="bad">opted out</Badge></> : null}</td>
              <td data-label="Phone">{c.phone ?? '—'}</td>
              <td data-label="Email" className="wrap">{c.email ?? '—'}</td>
              <td data-label="Since">{ago(c.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

function ContactView() {
  const { id } = useParams<{ id: string }>();
  const zone = useZone();
  const { data, error, reload } = useLoad(() => api.GET('/api/v1/contacts/{id}/overview', { params: { path: { id } } }), [id]);
  useLiveReload(['message', 'deal', 'booking', 'invoice'], reload);
  if (error) return <Page title="Contact"><ErrorBox error={error} /><p><Link href="/">Back to contacts</Link></p></Page>;
  if (!data) return <Page title="Contact"><p className="muted">Loading…</p></Page>;
  const c = data.contact;
  return (
    <Page title={c.name ?? c.phone ?? c.email ?? 'Contact'} actions={<Link href="/" className="btn">All contacts</Link>}>
      <div className="contact-head">
        {c.phone ? <a className="btn btn-primary" href={`tel:${c.phone}`}>Call {c.phone}</a> : null}
        {c.email ? <a className="btn" href={`mailto:${c.email}`}>{c.email}</a> : null}
        {c.optedOut ? <Badge tone="bad">opted out of texts</Badge> : null}
        {c.source ? <Badge>from {c.source}</Badge> : null}
      </div>
      <div className="rgrid">
        <Card title={`Messages (${data.messages.length})`} className="span-2">
          {data.messages.length === 0 ? <Empty>No messages with {c.name ?? 'this contact'} yet.</Empty> : (
            <ol className="thread">
              {data.messages.map((m) => (
                <li key={m.id} className={`bubble bubble-${m.direction}`}>
                  <span className="bubble-meta">{m.direction === 'inbound' ? 'Customer · from outside' : 'You / AIOS'} · {m.channel} · {date(m.createdAt, zone)} {clock(m.createdAt, zone)}</span>
                  <span className="bubble-text">{m.body}</span>
                </li>
              ))}
            </ol>
          )}
          {data.conversations.length ? <p className="small muted">{data.conversations.map((v) => `${v.channel} ${v.address}${v.state === 'waiting_for_owner' ? ' (waiting for you)' : ''}`).join(' · ')}</p> : null}
        </Card>
        <Card title="Deals">
          {data.deals.length === 0 ? <Empty>No deals.</Empty> : (
            <ul className="list">{data.deals.map((d) => <li key={d.id}><Link href={`~/deals`} className="strong">{d.title}</Link> <Badge tone="info">{d.stage}</Badge><div className="small muted">{money(d.valueCents, d.currency)} · in stage since {date(d.stageChangedAt, zone)}</div></li>)}</ul>
          )}
        </Card>
        <Card title="Bookings">
          {data.bookings.length === 0 ? <Empty>No bookings.</Empty> : (
            <ul className="list">{data.bookings.map((b) => <li key={b.id}><span className="strong">{date(b.startsAt, zone)} {clock(b.startsAt, zone)}</span> <Badge tone={b.status === 'cancelled' || b.status === 'no_show' ? 'bad' : b.status === 'done' ? 'good' : 'info'}>{b.status}</Badge>{b.need ? <div className="small muted">{b.need}</div> : null}</li>)}</ul>
          )}
        </Card>
        <Card title="Invoices">
          {data.invoices.length === 0 ? <Empty>No invoices.</Empty> : (
            <ul className="list">{data.invoices.map((i) => <li key={i.id}><span className="strong">{i.number ?? i.id}</span> <Badge tone={i.status === 'paid' ? 'good' : i.status === 'overdue' ? 'bad' : 'neutral'}>{i.status}</Badge><div className="small muted">{money(i.balanceCents, i.currency)} owed of {money(i.amountCents, i.currency)} · due {date(i.dueAt, zone)}</div></li>)}</ul>
          )}
        </Card>
      </div>
    </Page>
  );
}
