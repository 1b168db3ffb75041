import { useState } from 'react';
import { api } from '../api/client';
import { useSession } from '../session';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, money, useLoad } from '../ui';
import { date, must, useLiveReload, useZone } from './records/common';
import { as, type Invoice } from './records/types';
import './records/records.css';

type Filter = 'unpaid' | 'overdue' | 'paid' | 'all';
const FILTERS: Array<{ id: Filter; label: string }> = [{ id: 'unpaid', label: 'Unpaid' }, { id: 'overdue', label: 'Overdue' }, { id: 'paid', label: 'Paid' }, { id: 'all', label: 'All' }];

/** The Invoices page: unpaid / overdue / paid, the reminders AIOS sent, mark paid, and the total at risk. */
export default function InvoicesPage() {
  const zone = useZone();
  const { canDecide } = useSession();
  const [filter, setFilter] = useState<Filter>('unpaid');
  const list = useLoad(() => api.GET('/api/v1/invoices', { params: { query: { status: filter === 'all' ? undefined : filter, limit: 500 } } }), [filter]);
  const risk = useLoad(() => api.GET('/api/v1/invoices', { params: { query: { status: 'unpaid', limit: 500 } } }), []);
  const reload = () => {
    list.reload();
    risk.reload();
  };
  useLiveReload(['invoice', 'ledger'], reload);
  const invoices = as<{ invoices?: Invoice[] } | undefined>(list.data)?.invoices ?? [];
  const unpaid = as<{ invoices?: Invoice[] } | undefined>(risk.data)?.invoices ?? [];
  const atRisk = unpaid.reduce((n, i) => n + i.balanceCents, 0);
  const overdue = unpaid.filter((i) => i.status === 'overdue' || (i.dueAt !== null && new Date(i.dueAt).getTime() < Date.now()));
  const currency = unpaid[0]?.currency ?? invoices[0]?.currency ?? 'CAD';

  return (
    <Page title="Invoices">
      <div className="grid">
        <Card title="Total at risk"><div className="stat" data-testid="at-risk">{money(atRisk, currency)}</div><div className="small muted">{unpaid.length} unpaid</div></Card>
        <Card title="Overdue"><div className="stat">{money(overdue.reduce((n, i) => n + i.balanceCents, 0), currency)}</div><div className="small muted">{overdue.length} past due</div></Card>
      </div>
      <div className="tabs" role="tablist">
        {FILTERS.map((f) => <button key={f.id} type="button" role="tab" aria-selected={filter === f.id} className={`tab ${filter === f.id ? 'tab-on' : ''}`} onClick={() => setFilter(f.id)}>{f.label}</button>)}
      </div>
      <ErrorBox error={list.error} />
      {list.data && invoices.length === 0 ? <Empty>{filter === 'paid' ? 'No paid invoices yet.' : 'Nothing owed. Invoices come from Stripe, a CSV import or AIOS itself.'}</Empty> : null}
      <table className="rtable">
        <thead><tr><th>Invoice</th><th>Customer</th><th>Owed</th><th>Due</th><th>Reminders</th><th /></tr></thead>
        <tbody>
          {invoices.map((i) => {
            const late = i.status !== 'paid' && i.dueAt !== null && new Date(i.dueAt).getTime() < Date.now();
            return (
              <tr key={i.id} data-invoice={i.id}>
                <td data-label="Invoice"><span className="strong">{i.number ?? i.id}</span>&nbsp;<Badge tone={i.status === 'paid' ? 'good' : late ? 'bad' : 'neutral'}>{i.status === 'paid' ? 'paid' : late ? 'overdue' : i.status}</Badge></td>
                <td data-label="Customer" className="wrap">{i.customerName ?? i.customerEmail ?? '—'}</td>
                <td data-label="Owed"><span><span className="strong">{money(i.balanceCents, i.currency)}</span>{i.paidCents > 0 && i.balanceCents > 0 ? <span className="small muted"> of {money(i.amountCents, i.currency)}</span> : null}</span></td>
                <td data-label="Due">{date(i.dueAt, zone)}</td>
                <td data-label="Reminders">{i.chase ? <span>{i.chase.reminders} sent{i.chase.lastReminderAt ? <span className="small muted"> · last {date(i.chase.lastReminderAt, zone)}</span> : null}{i.chase.status !== 'active' ? <span className="small muted"> ({i.chase.status})</span> : null}</span> : <span className="muted">none</span>}</td>
                <td className="row-actions">{canDecide && i.status !== 'paid' && i.status !== 'void' ? <ActionButton onClick={async () => { await must(api.POST('/api/v1/invoices/{id}/paid', { params: { path: { id: i.id } } })); reload(); }}>Mark paid</ActionButton> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Page>
  );
}
