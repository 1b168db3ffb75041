import { Link } from 'wouter';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { Badge, Card, useLoad } from '../ui';

type BriefAnswer = paths['/api/v1/brief']['get']['responses'][200]['content']['application/json'];
type Brief = NonNullable<BriefAnswer['brief']>;
type Part = Brief['parts'][number];

/** `2026-12-01` → "Tue 1 Dec" (a calendar date: no time zone shift). */
function dayWords(localDate: string): string {
  const [y, m, d] = localDate.split('-').map(Number);
  return new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y!, m! - 1, d!)));
}

/** "7:31 AM" (the browser's hour cycle, as every time in the dashboard) in the business's time zone. */
function clock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
}

function MailState({ b, tz, cannot }: { b: Brief; tz: string; cannot: string | null }) {
  if (b.emailed && b.sentAt) return <Badge tone="good">Emailed at {clock(b.sentAt, tz)}</Badge>;
  const why = b.notEmailedReason ?? cannot;
  return <span className="brief-mail"><Badge tone="warn">Not emailed</Badge>{why ? <span className="muted small"> {why}</span> : <span className="muted small"> sending…</span>}</span>;
}

function PartBlock({ p }: { p: Part }) {
  return (
    <section className={`brief-part brief-${p.id}`} aria-label={p.title}>
      <h3>{p.title}</h3>
      <p>{p.summary}</p>
      {p.lines.length ? (
        <ul className="list brief-lines">{p.lines.map((l, i) => (
          <li key={i}>{l.href ? <Link href={l.href}>{l.text}</Link> : l.text}{l.untrusted ? <span className="brief-outside" title="This subject came from outside the business"> · from outside</span> : null}</li>
        ))}</ul>
      ) : null}
    </section>
  );
}

/**
 * The owner's daily brief on Today (`GET /api/v1/brief`): what came in, what AIOS did, what waits
 * (oldest first, each linking to where it is acted on), money at risk, and whether it was emailed
 * or why not; before the first brief, when it will come.
 */
export function BriefCard() {
  const { data } = useLoad(() => api.GET('/api/v1/brief', { params: { query: { kind: 'daily' } } }), []);
  if (!data) return null;
  const s = data.schedule;
  const b = data.brief;
  if (!b) {
    return (
      <Card title="Your daily brief" className="brief brief-empty">
        <p>Your first brief comes at <strong>{s.dailyAt}</strong> ({s.timeZone}): what came in, what AIOS did, what waits for you and money at risk.</p>
        <p className="muted small">{s.cannotEmail ? `It will show here only: ${s.cannotEmail}.` : `It is also emailed to ${s.to}.`}</p>
      </Card>
    );
  }
  return (
    <Card title={<>Your brief · {dayWords(b.localDate)}</>} className="brief">
      <div className="brief-head"><MailState b={b} tz={s.timeZone} cannot={s.cannotEmail} /></div>
      {b.parts.map((p) => <PartBlock key={p.id} p={p} />)}
    </Card>
  );
}
