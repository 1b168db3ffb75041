import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAdsExport, parseExportNumber } from './ads-formats.js';
import { checkSummary, roundsTo, tolerance } from './number-check.js';
import { isoWeekOf, weekStart, lastCompleteWeek } from './iso-week.js';
import { templateSummary } from './report-summary.js';
import type { ReportContent, ReportFigure } from './report-content.js';

const fx = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../../../test/fixtures/ads', name)));

describe('ad exports', () => {
  it('Google Ads: title lines, BOM, a quoted campaign name with a comma, thousands separators, totals rows left out', () => {
    const p = parseAdsExport(fx('google-ads-campaigns.csv'), 'USD');
    expect(p.platform).toBe('google_ads');
    expect(p.totalsSkipped).toBe(2);
    expect(p.rows).toHaveLength(4);
    expect(p.rows[0]).toMatchObject({ line: 4, campaign: 'Drains, Toronto', starts: '2026-11-23', ends: '2026-11-23', impressions: 1234, clicks: 56, costCents: 102050, conversions: 4, currency: 'USD', resultIndicator: null });
    expect(p.rows.reduce((a, r) => a + r.costCents, 0)).toBe(116400); // the totals row says 1,164.00: counted once
  });

  it('Meta Ads: reporting period per row, currency from "Amount spent (USD)", the summary row left out', () => {
    const p = parseAdsExport(fx('meta-ads-campaigns.csv'), 'CAD');
    expect(p.platform).toBe('meta_ads');
    expect(p.totalsSkipped).toBe(1);
    expect(p.rows.map((r) => [r.campaign, r.starts, r.ends, r.costCents, r.clicks, r.conversions, r.resultIndicator, r.currency])).toEqual([
      ['Winter tune-up, GTA', '2026-11-23', '2026-11-29', 12000, 50, 3, 'actions:lead', 'USD'],
      ['Retargeting', '2026-11-23', '2026-11-29', 9000, 27, 2, 'actions:lead', 'USD'],
    ]);
  });

  it('UTF-16 LE with tabs (Google\'s "CSV for Excel") reads the same', () => {
    const text = readFileSync(join(import.meta.dirname, '../../../test/fixtures/ads/google-ads-campaigns.csv'), 'utf8').replace(/^\uFEFF/, '')
      .split('\r\n').map((l) => (l.startsWith('"') || !l ? l : l.replace(/"([^"]*)"|,/g, (m, q) => (q !== undefined ? q : '\t')))).join('\r\n');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const p = parseAdsExport(new Uint8Array(bytes), 'USD');
    expect(p.rows[0]).toMatchObject({ campaign: 'Drains, Toronto', impressions: 1234, costCents: 102050 });
    expect(p.rows).toHaveLength(4);
  });

  it('a bad file: every problem named by line and column, and what to do', () => {
    let err: any;
    try { parseAdsExport(fx('google-ads-bad.csv'), 'USD'); } catch (e) { err = e; }
    expect(err.code).toBe('ads_bad_rows');
    expect(err.message).toContain('line 5, column "Clicks": "five" is not a whole number (clicks)');
    expect(err.message).toContain('line 6, column "Day": "2026-13-01" is not a date');
    expect(err.message).toContain('line 6, column "Cost": "12,34.0" is not a number (cost)');
    expect(err.message).toContain('nothing was imported');
    expect(err.fix).toMatch(/import the whole file again/);
    expect(err.problems).toHaveLength(3);
  });

  it('a month in one row is refused (the report is weekly); an unknown file says how to export', () => {
    expect(() => parseAdsExport(fx('meta-ads-month.csv'), 'USD')).toThrow(/line 2, column "Reporting starts": the period 2026-11-01 to 2026-11-30 is longer than one Monday-to-Sunday week/);
    expect(() => parseAdsExport(new TextEncoder().encode('name,phone\nAnn,1\n'), 'USD')).toThrow(expect.objectContaining({ code: 'ads_format_unknown', fix: expect.stringMatching(/Google Ads → Campaigns → Download/) }));
  });

  it('numbers as exports write them', () => {
    expect([parseExportNumber('1,234'), parseExportNumber('--'), parseExportNumber(''), parseExportNumber('3.50'), parseExportNumber('1,23'), parseExportNumber('-4')]).toEqual([1234, 0, 0, 3.5, null, null]);
  });
});

describe('ISO weeks', () => {
  it('weeks, their Mondays, the year edge and a week that does not exist', () => {
    expect(isoWeekOf('2026-11-29')).toBe('2026-W48');
    expect(weekStart('2026-W48')).toBe('2026-11-23');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(weekStart('2026-W53')).toBe('2026-12-28');
    expect(() => weekStart('2027-W53')).toThrow(/does not exist/);
    expect(() => weekStart('2026-48')).toThrow(expect.objectContaining({ fix: expect.stringMatching(/YYYY-Www/) }));
    expect(lastCompleteWeek('2026-12-02')).toBe('2026-W48');
  });
});

const fig = (key: string, value: number | null, unit: ReportFigure['unit'], text: string): ReportFigure => ({ key, label: key, value, unit, text });
const content = (): ReportContent => ({
  business: { slug: 'acme', name: 'Acme Plumbing' }, week: '2026-W48', weekStart: '2026-11-23', weekEnd: '2026-11-29', currency: 'USD', locale: 'en-US',
  figures: [
    fig('leads', 3, 'count', '3'), fig('bookings', 2, 'count', '2'), fig('reviewsRequested', 1, 'count', '1'), fig('reviewsReceived', null, 'count', 'not recorded'),
    fig('hoursSaved', 3.5, 'hours', '3.5 h'), fig('moneyRecovered', 450, 'money', '$450.00'), fig('value', 625, 'money', '$625.00'), fig('cost', 48.1, 'money', '$48.10'),
    fig('roi', 13, 'ratio', '13×'), fig('adSpend', 1354, 'money', '$1,354.00'), fig('adImpressions', 6624, 'count', '6,624'), fig('adClicks', 186, 'count', '186'),
    fig('adConversions', 12, 'count', '12'), fig('costPerLead', 112.83, 'money', '$112.83'), fig('campaigns', 4, 'count', '4'),
  ],
  leadsBySource: [], campaigns: [], adData: true, leadsPerDay: [0, 0, 0, 0, 0, 0, 0], sections: [],
});

describe('the number checker', () => {
  it('every number of the template summary is a figure', () => {
    const c = content();
    const s = templateSummary(c);
    const r = checkSummary(s, c);
    expect(r.unchecked).toEqual([]);
    expect(r.numbers.map((n) => [n.text, n.matched])).toEqual([
      ['3', 'leads'], ['2', 'bookings'], ['1', 'reviewsRequested'], ['3.5 h', 'hoursSaved'], ['$450.00', 'moneyRecovered'], ['13×', 'roi'],
      ['$1,354.00', 'adSpend'], ['186', 'adClicks'], ['12', 'adConversions'], ['$112.83', 'costPerLead'],
    ]);
  });

  it('a hostile model: invented hours, ROI, money, a percent and a word are all flagged; a unit decides what may match', () => {
    const c = content();
    const s = 'Great week of Nov 23–29! AIOS saved 40 hours, an ROI of 12× and $9,999 recovered; clicks rose 35% and twenty new leads came in. 3.5 hours saved, 12 conversions, ROI 13.';
    const r = checkSummary(s, c);
    expect(r.unchecked.map((u) => [u.text, u.unit])).toEqual([['40 hours', 'hours'], ['12×', 'ratio'], ['$9,999', 'money'], ['35%', 'percent'], ['twenty', 'count']]);
    expect(r.numbers.filter((n) => n.matched).map((n) => n.matched)).toEqual(['hoursSaved', 'adConversions', 'roi']);
    // 12 is a count (conversions) but "12×" is a ratio: not matched across units.
  });

  it('rounding: half a unit of the last written digit; dates only inside the week', () => {
    expect(tolerance('3.5')).toBeCloseTo(0.05);
    expect([roundsTo(3.45, '3.5'), roundsTo(3.549, '3.5'), roundsTo(3.55, '3.5'), roundsTo(3.5, '3'), roundsTo(3.49, '3')]).toEqual([true, true, false, false, true]);
    const c = content();
    expect(checkSummary('Cost per lead about $113 and 3 h 30', c).unchecked.map((u) => u.text)).toEqual(['3 h', '30']);
    expect(checkSummary('Cost per lead $112.8, value $625', c).unchecked).toEqual([]);
    expect(checkSummary('Week 2026-W48, from 2026-11-23; like Dec 25 and 2026-W47', c).unchecked.map((u) => u.text)).toEqual(['Dec 25', '2026-W47']);
    expect(checkSummary('1,234 impressions and 6,624 impressions', c).unchecked.map((u) => u.text)).toEqual(['1,234']);
  });
});
