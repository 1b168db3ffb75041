import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import { formatAmount } from '../../ai/templates/invoice-reminder.js';
import { zonedTimeToUtc } from '../../core/time-zone.js';
import { ledgerSummary } from '../ledger-summary.js';
import { addDays, weekStart } from './iso-week.js';
import type { ReportContent, ReportFigure, ReportSection } from './report-content.js';
import '../../autonomy/booking/tables.js';
import './tables.js';

/** Booking statuses that count as a booking made (not a hold, not given up). */
export const BOOKED_STATUSES = ['booked', 'confirmed', 'done', 'no_show'] as const;

/** The instant a local date begins in `timeZone`. */
function localMidnight(ymd: string, timeZone: string): Date {
  return zonedTimeToUtc({ year: Number(ymd.slice(0, 4)), month: Number(ymd.slice(5, 7)), day: Number(ymd.slice(8, 10)), hour: 0, minute: 0 }, timeZone);
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The figures and sections of one business's client report for an ISO week (Monday to Sunday in
 * the business's time zone): leads (contacts first seen that week, by `source`), bookings made
 * ({@link BOOKED_STATUSES}), review requests sent (ledger `review_request`; reviews received are
 * not recorded by AIOS), hours saved / money recovered / value / cost / ROI of that week from
 * `ledgerSummary`, and the imported ad figures whose period lies in the week (spend, clicks,
 * impressions, conversions, cost per lead = spend ÷ conversions). Reads only `tenant.id`'s rows.
 */
export async function composeClientReport(db: Db, tenant: TenantInfo, isoWeek: string): Promise<ReportContent> {
  const monday = weekStart(isoWeek);
  const sunday = addDays(monday, 6);
  const since = localMidnight(monday, tenant.timeZone);
  const until = localMidnight(addDays(monday, 7), tenant.timeZone);
  const money = (cents: number) => formatAmount(Math.round(cents), tenant.currency, tenant.locale);

  const [leads, perDay, bookings, reviews, ads, campaigns, ledger] = await Promise.all([
    db.selectFrom('contacts').select([sql<string>`coalesce(nullif(source, ''), 'unknown')`.as('source'), sql<number>`count(*)::int`.as('n')])
      .where('tenant_id', '=', tenant.id).where('created_at', '>=', since).where('created_at', '<', until).groupBy(sql`1`).orderBy(sql`2 desc, 1`).execute(),
    sql<{ d: string; n: number }>`select to_char(created_at at time zone ${tenant.timeZone}, 'YYYY-MM-DD') as d, count(*)::int as n from contacts
      where tenant_id = ${tenant.id} and created_at >= ${since} and created_at < ${until} group by 1`.execute(db),
    db.selectFrom('bookings').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenant.id).where('created_at', '>=', since).where('created_at', '<', until)
      .where('status', 'in', [...BOOKED_STATUSES]).executeTakeFirstOrThrow(),
    db.selectFrom('ledger').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenant.id).where('category', '=', 'review_request')
      .where('created_at', '>=', since).where('created_at', '<', until).executeTakeFirstOrThrow(),
    db.selectFrom('ad_metrics').select([sql<number>`count(*)::int`.as('rows'), sql<string>`coalesce(sum(cost_cents), 0)`.as('cost'), sql<string>`coalesce(sum(clicks), 0)`.as('clicks'),
      sql<string>`coalesce(sum(impressions), 0)`.as('impressions'), sql<string>`coalesce(sum(conversions), 0)`.as('conversions')])
      .where('tenant_id', '=', tenant.id).where('starts', '>=', monday).where('ends', '<=', sunday).executeTakeFirstOrThrow(),
    db.selectFrom('ad_metrics').select(['platform', 'campaign', sql<string>`sum(cost_cents)`.as('cost'), sql<string>`sum(clicks)`.as('clicks'), sql<string>`sum(conversions)`.as('conversions')])
      .where('tenant_id', '=', tenant.id).where('starts', '>=', monday).where('ends', '<=', sunday).groupBy(['platform', 'campaign']).orderBy(sql`3 desc`).orderBy('campaign').execute(),
    ledgerSummary(db, tenant, { weeks: 1, now: new Date(until.getTime() - 1) }),
  ]);

  const w = ledger.weekly[ledger.weekly.length - 1]!;
  const leadCount = leads.reduce((a, r) => a + r.n, 0);
  const adData = ads.rows > 0;
  const spendCents = Number(ads.cost);
  const conversions = Number(ads.conversions);
  const roi = w.costCents > 0 ? r1(w.valueCents / w.costCents) : null;
  const cpl = adData && conversions > 0 ? Math.round(spendCents / conversions) : null;
  const f = (key: string, label: string, value: number | null, unit: ReportFigure['unit'], text: string): ReportFigure => ({ key, label, value, unit, text });
  const figures: ReportFigure[] = [
    f('leads', 'Leads', leadCount, 'count', String(leadCount)),
    ...leads.map((l) => f(`leads.${l.source}`, `Leads from ${l.source}`, l.n, 'count', String(l.n))),
    f('bookings', 'Bookings', bookings.n, 'count', String(bookings.n)),
    f('reviewsRequested', 'Review requests sent', reviews.n, 'count', String(reviews.n)),
    f('reviewsReceived', 'Reviews received', null, 'count', 'not recorded'),
    f('hoursSaved', 'Hours saved', r1(w.hoursSaved), 'hours', `${r1(w.hoursSaved)} h`),
    f('moneyRecovered', 'Money recovered', w.recoveredCents / 100, 'money', money(w.recoveredCents)),
    f('value', 'Value of AIOS', w.valueCents / 100, 'money', money(w.valueCents)),
    f('cost', 'Cost of AIOS', w.costCents / 100, 'money', money(w.costCents)),
    f('roi', 'ROI', roi, 'ratio', roi === null ? 'not a number (no cost)' : `${roi}×`),
  ];
  if (adData) {
    figures.push(
      f('adSpend', 'Ad spend', spendCents / 100, 'money', money(spendCents)),
      f('adImpressions', 'Impressions', Number(ads.impressions), 'count', Number(ads.impressions).toLocaleString('en-US')),
      f('adClicks', 'Clicks', Number(ads.clicks), 'count', Number(ads.clicks).toLocaleString('en-US')),
      f('adConversions', 'Conversions', conversions, 'count', String(conversions)),
      f('costPerLead', 'Cost per lead', cpl === null ? null : cpl / 100, 'money', cpl === null ? 'no conversions' : money(cpl)),
      f('campaigns', 'Campaigns', campaigns.length, 'count', String(campaigns.length)),
    );
  }
  const days = new Map(perDay.rows.map((r) => [r.d, r.n]));
  const text = (key: string) => figures.find((x) => x.key === key)!.text;
  const sections: ReportSection[] = [
    { id: 'leads', title: 'Leads', lines: leadCount ? leads.map((l) => `${l.source}: ${l.n}`) : ['No new leads this week.'] },
    { id: 'bookings', title: 'Bookings', lines: [`${plural(bookings.n, 'booking')} made this week.`] },
    { id: 'reviews', title: 'Reviews', lines: [`${plural(reviews.n, 'review request')} sent.`, 'Reviews received: not recorded.'] },
    { id: 'aios', title: 'What AIOS did', lines: [`Hours saved: ${text('hoursSaved')}`, `Money recovered: ${text('moneyRecovered')}`, `Value: ${text('value')} for a cost of ${text('cost')}`, `ROI: ${text('roi')}`] },
    {
      id: 'ads', title: 'Advertising',
      lines: adData
        ? [`Spend: ${text('adSpend')}, ${text('adClicks')} clicks, ${text('adConversions')} conversions, cost per lead ${text('costPerLead')}`,
          ...campaigns.map((c) => `${c.platform === 'google_ads' ? 'Google Ads' : 'Meta Ads'} - ${c.campaign}: ${money(Number(c.cost))}, ${Number(c.clicks)} clicks, ${Number(c.conversions)} conversions`)]
        : ['No ad data imported for this week (aios report import-ads <file>).'],
    },
  ];
  return {
    business: { slug: tenant.slug, name: tenant.name }, week: isoWeek, weekStart: monday, weekEnd: sunday, currency: tenant.currency, locale: tenant.locale,
    figures, leadsBySource: leads.map((l) => ({ source: l.source, count: l.n })),
    campaigns: campaigns.map((c) => ({ platform: c.platform, campaign: c.campaign, costCents: Number(c.cost), clicks: Number(c.clicks), conversions: Number(c.conversions) })),
    adData, leadsPerDay: Array.from({ length: 7 }, (_, i) => days.get(addDays(monday, i)) ?? 0), sections,
  };
}
