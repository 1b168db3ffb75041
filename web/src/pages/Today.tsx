import { Link } from 'wouter';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { BriefCard } from '../components/BriefCard';
import { useLiveReload } from '../live';
import { Card, Empty, ErrorBox, Page, Untrusted, ago, money, when, useLoad } from '../ui';
import '../inbox.css';

type Today = paths['/api/v1/today']['get']['responses'][200]['content']['application/json'];
type Item = Today['cameIn']['items'][number];

const KIND: Record<string, string> = { lead: 'New lead', missed_call: 'Missed call', message: 'Message', email: 'Email', approval: 'Approval', thread: 'Waiting', signal: 'Signal', invoice: 'Invoice', booking: 'Job' };
const HREF: Record<string, (id: string) => string> = { approval: () => '/approvals', thread: (id) => `/conversations/${id}`, signal: () => '/signals', invoice: () => '/invoices', booking: () => '/calendar', lead: () => '/contacts', message: () => '/conversations', email: () => '/conversations', missed_call: () => '/conversations' };

/** How a lead came in (contacts.source), an approval's action and a thread's channel, in words. */
const DETAIL_WORDS: Record<string, Record<string, string>> = {
  lead: { sms: 'texted in', missed_call: 'from a missed call', caller_id: 'from a call', voice: 'called in', form: 'web form', web_form: 'web form', widget: 'website chat', email: 'wrote by email', imap: 'wrote by email', booking: 'booked online' },
  approval: { 'sms.send': 'a text to send', 'email.send': 'an email to send', 'calendar.create': 'a booking to make', 'content.publish': 'a post to publish', 'payment.refund': 'a refund', 'invoice.void': 'an invoice to void' },
  thread: { sms: 'by text', email: 'by email', voice: 'by phone', widget: 'in website chat' },
};

function detailWords(it: Item): string | null {
  if (!it.detail || it.kind === 'invoice') return null;
  return DETAIL_WORDS[it.kind]?.[it.detail] ?? (it.kind === 'lead' ? null : it.detail);
}

/** A number with its label, linking to where it is acted on. */
function Stat({ n, label, href }: { n: number | string; label: string; href?: string }) {
  const body = <><span className="stat">{n}</span><span className="muted small">{label}</span></>;
  return href ? <Link href={href} className="today-stat">{body}</Link> : <span className="today-stat">{body}</span>;
}

function ItemRow({ it, tz }: { it: Item; tz: string }) {
  const href = HREF[it.kind]?.(it.id);
  const title = <><span className="today-kind">{KIND[it.kind] ?? it.kind}</span> <strong>{it.title}</strong> <span className="muted small">{it.kind === 'booking' ? when(it.at, tz) : ago(it.at)}</span></>;
  return (
    <li>
      {href ? <Link href={href}>{title}</Link> : title}
      {it.detail && it.untrusted ? <Untrusted label={it.kind === 'signal' ? 'signal subject' : 'customer'}>{it.detail}</Untrusted> : detailWords(it) ? <div className="muted small">{detailWords(it)}</div> : null}
    </li>
  );
}

/** Today: the brief, what came in, what AIOS did, what waits for the owner, money at risk. */
export default function TodayPage() {
  const { data: d, error, reload } = useLoad(() => api.GET('/api/v1/today'), []);
  useLiveReload(['approval', 'message', 'signal'], reload, 1500);
  const cur = d?.moneyAtRisk.currency ?? 'CAD';
  return (
    <Page title="Today">
      <BriefCard />
      <ErrorBox error={error} />
      {!d ? (error ? null : <p className="muted">Loading…</p>) : (
        <div className="today">
          <Card title="Waits for you" className="today-waiting">
            <div className="today-stats">
              <Stat n={d.waiting.approvals} label="approvals" href="/approvals" />
              <Stat n={d.waiting.threads} label="threads" href="/conversations" />
              <Stat n={d.waiting.signals} label="signals" href="/signals" />
            </div>
            {d.waiting.items.length ? <ul className="list today-items">{d.waiting.items.slice(0, 6).map((it) => <ItemRow key={it.kind + it.id} it={it} tz={d.timeZone} />)}</ul> : <Empty>Nothing waits for you.</Empty>}
          </Card>
          <Card title="Came in (24 h)">
            <div className="today-stats">
              <Stat n={d.cameIn.newLeads} label="new leads" href="/contacts" />
              <Stat n={d.cameIn.missedCalls} label="missed calls" />
              <Stat n={d.cameIn.messages} label="messages" href="/conversations" />
              <Stat n={d.cameIn.emails} label="emails" href="/conversations" />
            </div>
            {d.cameIn.items.length ? <ul className="list today-items">{d.cameIn.items.slice(0, 6).map((it) => <ItemRow key={it.kind + it.id} it={it} tz={d.timeZone} />)}</ul> : <Empty>Quiet so far. Calls, texts, emails and web chats show up here.</Empty>}
          </Card>
          <Card title="AIOS did (24 h)">
            <div className="today-stats">
              <Stat n={d.didForYou.textsSent} label="texts sent" />
              <Stat n={d.didForYou.emailsSent} label="emails sent" />
              <Stat n={d.didForYou.bookings} label="bookings" href="/calendar" />
              <Stat n={Math.round(d.didForYou.minutesSaved)} label="minutes saved" href="/ledger" />
            </div>
          </Card>
          <Card title="Money at risk">
            <div className="today-stats">
              <Stat n={money(d.moneyAtRisk.overdue.cents, cur)} label={`overdue (${d.moneyAtRisk.overdue.count})`} href="/invoices" />
              <Stat n={money(d.moneyAtRisk.dueSoon.cents, cur)} label={`due in ${d.moneyAtRisk.dueSoon.days} days (${d.moneyAtRisk.dueSoon.count})`} href="/invoices" />
              <Stat n={money(d.moneyAtRisk.openDeals.cents, cur)} label={`open deals (${d.moneyAtRisk.openDeals.count})`} href="/deals" />
            </div>
            {d.moneyAtRisk.invoices.length ? (
              <ul className="list today-items">{d.moneyAtRisk.invoices.map((it) => (
                <li key={it.id}><Link href="/invoices"><strong>{it.title}</strong> {money(Number(it.detail), cur)} <span className="muted small">due {when(it.at, d.timeZone)}</span></Link></li>
              ))}</ul>
            ) : null}
          </Card>
          {d.todaysJobs.length ? (
            <Card title="Today's jobs">
              <ul className="list today-items">{d.todaysJobs.map((it) => <ItemRow key={it.id} it={it} tz={d.timeZone} />)}</ul>
            </Card>
          ) : null}
        </div>
      )}
    </Page>
  );
}
