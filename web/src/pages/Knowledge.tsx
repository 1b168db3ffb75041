import { useState } from 'react';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, ago, money, useLoad } from '../ui';
import { useSession } from '../session';
import { call, must } from '../api/admin';
import '../admin.css';

interface Gap { id: string; question: string; status: 'open' | 'answered'; occurrences: number; lastAskedAt: string; answerFile: string | null }
interface Doc { id: string; path: string; title: string | null; kind: string | null; status: 'indexed' | 'failed'; error: string | null; validUntil: string | null; expiry: 'none' | 'ok' | 'expiring' | 'expired' }
interface Fact { id: string; type: string; key: string; value: string; service: string | null; amountCents: number | null; currency: string | null; unit: string | null; file: string; validUntil: string | null }
interface Answer { status: 'answered' | 'unknown'; text: string; citations: Array<{ file: string; headingPath: string; excerpt: string }>; confidence: number }

const EXPIRY: Record<Doc['expiry'], { tone: 'bad' | 'warn' | 'good' | 'neutral'; text: (d: Doc) => string } | null> = {
  none: null, ok: { tone: 'good', text: (d) => `until ${d.validUntil}` },
  expiring: { tone: 'warn', text: (d) => `expires ${d.validUntil}` }, expired: { tone: 'bad', text: (d) => `expired ${d.validUntil}` },
};

function GapItem({ gap, canDecide, onAnswered }: { gap: Gap; canDecide: boolean; onAnswered: () => void }) {
  const [text, setText] = useState('');
  return (
    <li>
      <div className="item-head"><div className="item-title">“{gap.question}”</div><Badge tone="warn">asked {gap.occurrences}×</Badge></div>
      <div className="meta">last asked {ago(gap.lastAskedAt)}</div>
      {canDecide ? (
        <>
          <label style={{ marginTop: '.5rem' }}>Your answer (customers will get this)<textarea aria-label={`Answer: ${gap.question}`} value={text} onChange={(e) => setText(e.target.value)} /></label>
          <ActionButton tone="primary" disabled={!text.trim()} onClick={async () => { await must('POST', `/api/v1/knowledge/gaps/${gap.id}/answer`, { text }); onAnswered(); }}>Save answer</ActionButton>
        </>
      ) : <p className="locked">The owner or staff answer questions.</p>}
    </li>
  );
}

function Gaps({ canDecide }: { canDecide: boolean }) {
  const gaps = useLoad(() => call<{ gaps: Gap[] }>('GET', '/api/v1/knowledge/gaps?status=open'));
  return (
    <Card title="Questions AIOS could not answer">
      <p className="note">Answer once; AIOS uses your answer from then on.</p>
      <ErrorBox error={gaps.error} />
      {gaps.data?.gaps.length ? <ul className="list">{gaps.data.gaps.map((g) => <GapItem key={g.id} gap={g} canDecide={canDecide} onAnswered={gaps.reload} />)}</ul>
        : gaps.loading ? null : <Empty>No open questions. When a customer asks something the knowledge does not cover, it appears here.</Empty>}
    </Card>
  );
}

function Ask() {
  const [q, setQ] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  return (
    <Card title="Test a question">
      <p className="note">Ask as a customer would. Testing never texts anyone (an unknown question is still noted as a gap).</p>
      <form onSubmit={(e) => e.preventDefault()}>
        <label>Question<input type="search" value={q} placeholder="e.g. Do you work on Saturdays?" onChange={(e) => setQ(e.target.value)} /></label>
        <ActionButton tone="primary" disabled={!q.trim()} onClick={async () => setAnswer(await must<Answer>('POST', '/api/v1/knowledge/ask', { question: q }))}>Ask</ActionButton>
      </form>
      {answer ? (
        <div aria-label="Answer">
          {answer.status === 'answered' ? <Badge tone="good">answered</Badge> : <Badge tone="warn">I'll ask the owner</Badge>}
          <div className="answer">{answer.text}</div>
          {answer.citations.map((c, i) => <div className="cite" key={i}>Source: {c.file}{c.headingPath ? ` › ${c.headingPath}` : ''}</div>)}
        </div>
      ) : null}
    </Card>
  );
}

function Files() {
  const docs = useLoad(() => call<{ documents: Doc[] }>('GET', '/api/v1/knowledge/documents'));
  const list = docs.data?.documents ?? [];
  const order = { expired: 0, expiring: 1, ok: 2, none: 3 } as const;
  return (
    <Card title={`Files (${list.length})`}>
      <p className="note">The files in the business's knowledge folder. Put a <code>valid_until: YYYY-MM-DD</code> line at the top of an offer so it ends on time.</p>
      <ErrorBox error={docs.error} />
      {list.length ? (
        <ul className="list">
          {[...list].sort((a, b) => order[a.expiry] - order[b.expiry] || a.path.localeCompare(b.path)).map((d) => {
            const e = EXPIRY[d.expiry];
            return (
              <li key={d.id} className="item-head">
                <div><div className="item-title">{d.title ?? d.path}</div><div className="meta">{d.path} · {d.kind ?? 'faq'}</div>{d.error ? <div className="error">{d.error}</div> : null}</div>
                <div className="row">{d.status === 'failed' ? <Badge tone="bad">not read</Badge> : null}{e ? <Badge tone={e.tone}>{e.text(d)}</Badge> : null}</div>
              </li>
            );
          })}
        </ul>
      ) : docs.loading ? null : <Empty>No files yet. Put Markdown, PDF, Word or CSV files in the knowledge folder, or let the set-up import your website.</Empty>}
    </Card>
  );
}

function Facts() {
  const facts = useLoad(() => call<{ facts: Fact[] }>('GET', '/api/v1/knowledge/facts'));
  return (
    <Card title="Facts AIOS quotes">
      <p className="note">Prices, hours and terms read from the files. Expired ones are no longer quoted.</p>
      <ErrorBox error={facts.error} />
      {facts.data?.facts.length ? (
        <ul className="list">
          {facts.data.facts.map((f) => (
            <li key={f.id} className="item-head">
              <div><div className="item-title">{f.service ?? f.key}</div><div className="meta">{f.type} · {f.file}</div></div>
              <div className="row">{f.amountCents !== null ? <b>{money(f.amountCents, f.currency ?? undefined)}{f.unit ? ` / ${f.unit}` : ''}</b> : <span>{f.value}</span>}{f.validUntil ? <Badge tone="warn">until {f.validUntil}</Badge> : null}</div>
            </li>
          ))}
        </ul>
      ) : facts.loading ? null : <Empty>No facts yet.</Empty>}
    </Card>
  );
}

const TABS = [['gaps', 'To answer'], ['ask', 'Test'], ['files', 'Files'], ['facts', 'Facts']] as const;

/** Knowledge: gaps to answer, test questions, files with expiry, facts. */
export default function KnowledgePage() {
  const { canDecide } = useSession();
  const [tab, setTab] = useState<(typeof TABS)[number][0]>('gaps');
  return (
    <Page title="Knowledge">
      <div className="tabs" role="tablist">
        {TABS.map(([k, label]) => <button key={k} role="tab" aria-selected={tab === k} onClick={() => setTab(k)}>{label}</button>)}
      </div>
      {tab === 'gaps' ? <Gaps canDecide={canDecide} /> : tab === 'ask' ? <Ask /> : tab === 'files' ? <Files /> : <Facts />}
    </Page>
  );
}
