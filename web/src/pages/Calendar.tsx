import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client';
import { useSession } from '../session';
import { ActionButton, Badge, Empty, ErrorBox, Page, useLoad } from '../ui';
import { clock, dayKey, dayTitle, groupBy, must, useLiveReload, useZone } from './records/common';
import { as, type Booking } from './records/types';
import './records/records.css';

/** The Calendar page: upcoming bookings by day in the business's time zone; cancel one (the booking's run texts the customer). */
export default function CalendarPage() {
  const zone = useZone();
  const { canDecide } = useSession();
  const { data, error, reload } = useLoad(() => api.GET('/api/v1/bookings'), []);
  useLiveReload(['booking', 'run'], reload);
  const [asked, setAsked] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const bookings = as<{ bookings?: Booking[] } | undefined>(data)?.bookings ?? [];
  const days = groupBy(bookings, (b) => dayKey(b.start, zone));

  async function cancel(b: Booking) {
    await must(api.POST('/api/v1/bookings/{id}/cancel', { params: { path: { id: b.id } } }));
    setAsked(null);
    setNote(`Cancelling ${b.name ?? 'the booking'} at ${clock(b.start, zone)}: the calendar is freed and the customer is texted.`);
    setTimeout(reload, 800);
  }

  return (
    <Page title="Calendar">
      {zone ? <p className="small muted">Times in {zone}.</p> : null}
      <ErrorBox error={error} />
      {note ? <p className="notice" role="status">{note}</p> : null}
      {data && bookings.length === 0 ? <Empty>No upcoming bookings. When a customer books by text, phone or the web form, the appointment appears here.</Empty> : null}
      {days.map(([key, list]) => (
        <section key={key} className="day">
          <h2 className="day-title">{dayTitle(list[0]!.start, zone)} <span className="small muted">{list.length} {list.length === 1 ? 'booking' : 'bookings'}</span></h2>
          <ul className="list">
            {list.map((b) => (
              <li key={b.id} className="booking">
                <div className="booking-time">{clock(b.start, zone)}<span className="small muted">–{clock(b.end, zone)}</span></div>
                <div className="booking-body">
                  <div><Link href={`~/contacts/${b.contactId}`} className="strong">{b.name ?? b.address}</Link> <Badge tone={b.status === 'confirmed' ? 'good' : 'info'}>{b.status === 'confirmed' ? 'confirmed' : 'booked'}</Badge></div>
                  {b.need ? <div className="small">{b.need}</div> : null}
                  <div className="small muted">{b.channel} {b.address}</div>
                </div>
                {canDecide ? (
                  <div className="booking-actions">
                    {asked === b.id ? (
                      <>
                        <ActionButton tone="danger" onClick={() => cancel(b)}>Yes, cancel and text them</ActionButton>
                        <button type="button" className="btn" onClick={() => setAsked(null)}>Keep</button>
                      </>
                    ) : <button type="button" className="btn btn-danger" onClick={() => setAsked(b.id)}>Cancel…</button>}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Page>
  );
}
