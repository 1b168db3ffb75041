import { Card } from '../ui';

/** One week of first checks as the ledger route returns it. */
export interface QcWeekView {
  week: string;
  firstChecks: number;
  withExceptions: number;
  rate: number | null;
  reviewMinutes: number;
}

const dayMonth = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const hours = (minutes: number) => `${Math.round(minutes / 6) / 10} h`;

/**
 * First-check exception rate week by week (packages whose first check found an exception ÷
 * packages first checked that week) with the review time saved: the trend a brokerage watches.
 */
export function QcTrend({ weeks }: { weeks: QcWeekView[] }) {
  return (
    <Card title="First-check exceptions by week" className="qc-trend">
      <p className="small muted">Packages whose first check found an exception, of those first checked that week · review time saved</p>
      <ol className="qc-weeks" aria-label="First-check exception rate by week">
        {weeks.map((w) => (
          <li key={w.week} data-week={w.week}>
            <span className="qc-week">{dayMonth(w.week)}</span>
            <span className="qc-bar" aria-hidden="true"><span style={{ width: `${Math.round((w.rate ?? 0) * 100)}%` }} /></span>
            <span className="qc-rate small">
              {w.rate === null ? <span className="muted" title="no package first checked this week">—</span> : <><strong>{Math.round(w.rate * 100)}%</strong> · {w.withExceptions} of {w.firstChecks}</>}
              {w.reviewMinutes ? <span className="muted" title="review time saved"> · {hours(w.reviewMinutes)}</span> : null}
            </span>
          </li>
        ))}
      </ol>
    </Card>
  );
}
