import type { ColumnType } from 'kysely';

type Ts = ColumnType<Date, Date | string, Date | string>;
type TsDefault = ColumnType<Date, Date | string | undefined, Date | string>;

/** Lifecycle of a `bookings` row; `held`, `booked` and `confirmed` are live (they block time). */
export type BookingStatus = 'held' | 'released' | 'expired' | 'booked' | 'confirmed' | 'cancelled' | 'done' | 'no_show';

/** Statuses whose rows block their time (the exclusion constraint's WHERE). */
export const LIVE_BOOKING_STATUSES: readonly BookingStatus[] = ['held', 'booked', 'confirmed'];

/** Row shape of `bookings` (migration 0012-bookings). */
export interface BookingsTable {
  id: string;
  tenant_id: string;
  contact_id: string;
  channel: string;
  address: string;
  starts_at: Ts;
  ends_at: Ts;
  /** `tstzrange` of the appointment plus buffers, written as `[start,end)` text; read as text. */
  blocked: ColumnType<string, string, string>;
  status: ColumnType<BookingStatus, BookingStatus | undefined, BookingStatus>;
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Idempotency key, unique per tenant. */
  key: string;
  run_id: string | null;
  deal_id: string | null;
  calendar_event_id: string | null;
  name: string | null;
  email: string | null;
  need: string | null;
  location: string | null;
  created_at: TsDefault;
  updated_at: TsDefault;
}

declare module '../../store/schema.js' {
  interface Database {
    bookings: BookingsTable;
  }
}
