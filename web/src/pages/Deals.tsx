import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client';
import { useSession } from '../session';
import { Badge, Empty, ErrorBox, Page, money, useLoad } from '../ui';
import { must, useLiveReload } from './records/common';
import './records/records.css';

/** The Deals page: the pipeline by stage (columns on desktop, a grouped list on a phone); move a deal to another stage. */
export default function DealsPage() {
  const { canDecide } = useSession();
  const { data, error, reload } = useLoad(() => api.GET('/api/v1/deals/pipeline'), []);
  useLiveReload(['deal'], reload);
  const [showClosed, setShowClosed] = useState(false);
  const [moveError, setMoveError] = useState<unknown>(null);
  const stages = data?.stages ?? [];
  const names = stages.map((s) => s.stage);
  const open = stages.filter((s) => !s.closed);
  const openValue = open.reduce((n, s) => n + s.valueCents, 0);
  const openCount = open.reduce((n, s) => n + s.count, 0);
  const shown = stages.filter((s) => showClosed || !s.closed || s.count === 0 ? showClosed || !s.closed : false);

  async function move(dealId: string, stage: string) {
    setMoveError(null);
    try {
      await must(api.POST('/api/v1/deals/{id}/stage', { params: { path: { id: dealId } }, body: { stage } }));
      reload();
    } catch (e) {
      setMoveError(e);
    }
  }

  return (
    <Page title="Deals" actions={<label className="inline"><input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} /> Show done, won and lost</label>}>
      <p className="muted">{openCount} open {openCount === 1 ? 'deal' : 'deals'} worth <strong>{money(openValue)}</strong></p>
      <ErrorBox error={error} />
      <ErrorBox error={moveError} />
      {data && stages.every((s) => s.count === 0) ? <Empty>No deals yet: AIOS opens one for every new lead (missed call, web form, email) and moves it as the job gets booked and done.</Empty> : null}
      <div className="pipeline">
        {shown.map((s) => (
          <section key={s.stage} className={`stage ${s.closed ? 'stage-closed' : ''}`} aria-label={`Stage ${s.stage}`}>
            <header className="stage-head">
              <h2>{s.stage}</h2>
              <span className="small muted">{s.count} · {money(s.valueCents)}</span>
            </header>
            {s.deals.length === 0 ? <p className="small muted stage-empty">Nothing here.</p> : null}
            {s.deals.map((d) => (
              <article key={d.id} className="deal" data-deal={d.id}>
                <div className="deal-title">{d.title}</div>
                <div className="small"><Link href={`~/contacts/${d.contactId}`}>{d.contactName ?? 'Contact'}</Link></div>
                <div className="deal-meta">
                  {d.valueCents === null ? <span className="small muted">no value yet</span> : <span className="strong">{money(d.valueCents, d.currency)}</span>}
                  <Badge tone={!s.closed && d.daysInStage >= 7 ? 'warn' : 'neutral'}>{d.daysInStage === 0 ? 'today' : `${d.daysInStage} d in stage`}</Badge>
                </div>
                {canDecide ? (
                  <label className="deal-move">
                    <select value="" onChange={(e) => e.target.value && void move(d.id, e.target.value)} aria-label={`Move ${d.title} to`}>
                      <option value="">Move to…</option>
                      {names.filter((n) => n !== s.stage).map((n) => <option key={n} value={n}>{n}</option>)}
                    </select>
                  </label>
                ) : null}
              </article>
            ))}
            {s.count > s.deals.length ? <p className="small muted">and {s.count - s.deals.length} more</p> : null}
          </section>
        ))}
      </div>
    </Page>
  );
}
