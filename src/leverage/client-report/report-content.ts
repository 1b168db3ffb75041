/** How a figure is written and which numbers of a summary may match it. */
export type FigureUnit = 'count' | 'hours' | 'money' | 'ratio' | 'percent';

/** One number of the report, with what it is. `value` null: not measured (shown as `text`). */
export interface ReportFigure {
  key: string;
  label: string;
  /** Counts as counts, hours as hours, money in major units of the currency (dollars), ratio as ×. */
  value: number | null;
  unit: FigureUnit;
  /** The figure as the report writes it, e.g. "$1,354.00", "3.5 h", "not recorded". */
  text: string;
}

/** A section of the report: a title and its lines. */
export interface ReportSection {
  id: 'leads' | 'bookings' | 'reviews' | 'aios' | 'ads';
  title: string;
  lines: string[];
}

/** A number of the summary that is none of the report's figures. */
export interface UncheckedNumber {
  /** As written, e.g. "40 hours", "12×", "$9,999". */
  text: string;
  value: number;
  unit: FigureUnit;
  /** Offset in the summary (characters). */
  index: number;
}

/** A stored client report: the week, its figures and its sections (the summary is stored beside it). */
export interface ReportContent {
  business: { slug: string; name: string };
  /** ISO week `2026-W48`, its Monday and Sunday (local dates). */
  week: string;
  weekStart: string;
  weekEnd: string;
  currency: string;
  locale: string;
  figures: ReportFigure[];
  leadsBySource: Array<{ source: string; count: number }>;
  campaigns: Array<{ platform: string; campaign: string; costCents: number; clicks: number; conversions: number }>;
  /** False: no ad export covers the week ("no ad data imported"). */
  adData: boolean;
  /** Leads per day of the week, Monday first (the chart). */
  leadsPerDay: number[];
  sections: ReportSection[];
}

/** The figure with `key`, or undefined. */
export function figure(c: ReportContent, key: string): ReportFigure | undefined {
  return c.figures.find((f) => f.key === key);
}
