import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One series of a weekly chart: a value per week (null = nothing measured that week). At most one bar series per chart. */
export interface WeekSeries {
  label: string;
  values: Array<number | null>;
  color: string;
  /** Bars (amounts per week) or a line with points (medians). */
  kind: 'bar' | 'line';
}

/**
 * A small weekly chart drawn by uPlot (canvas): one x tick per local week (`weeks`, `YYYY-MM-DD`
 * Mondays), as wide as its container (redrawn on resize), 180 px high. `format` writes a value on
 * the y axis and in the legend; `log` uses a log₁₀ y scale (response times from seconds to days);
 * `ticks`: the y values to mark (those inside the data's range), instead of uPlot's own.
 * The figure's label names the chart for screen readers; the page shows the same numbers in words.
 */
export function WeekChart({ title, weeks, series, format, log, ticks }: { title: string; weeks: string[]; series: WeekSeries[]; format: (v: number) => string; log?: boolean; ticks?: number[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = weeks.map((w) => Date.parse(`${w}T12:00:00Z`) / 1000);
    const barPaths = uPlot.paths.bars!({ size: [0.6, 48], gap: 1 });
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height: 180,
      padding: [8, 8, 0, 0],
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: true, range: (_u, min, max) => [min - 3.5 * 86_400, max + 3.5 * 86_400] }, y: log ? { distr: 3, log: 10 } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { space: 48, values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' })), grid: { show: false }, size: 28, font: '11px system-ui' },
        {
          // Our marks, all labelled (uPlot's log axes would hide those that are not powers of ten).
          ...(ticks ? { splits: (_u: uPlot, _i: number, min: number, max: number) => ticks.filter((t) => t >= min && t <= max), filter: (_u: uPlot, splits: number[]) => splits } : {}),
          // A label equal to the one below it (0.1 h twice when rounding) is left blank.
          values: (_u, vs) => vs.map((t) => (t === null || t === undefined ? '' : format(t))).map((label, i, all) => (i > 0 && label === all[i - 1] ? '' : label)),
          // Wide enough for the longest label (at most about 7.5 px a character at 11 px).
          size: (_u, values) => Math.ceil(Math.max(4, ...(values ?? []).map((v) => String(v ?? '').length)) * 7.5) + 18,
          font: '11px system-ui', grid: { stroke: '#e6ebe7', width: 1 },
        },
      ],
      series: [
        { label: 'week' },
        ...series.map((s) => {
          if (s.kind === 'line') return { label: s.label, stroke: s.color, width: 2, points: { show: true, size: 6, fill: s.color }, spanGaps: true, value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)) };
          return { label: s.label, stroke: s.color, fill: `${s.color}cc`, width: 0, paths: barPaths, points: { show: false }, value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)) };
        }),
      ],
    };
    const data = [xs, ...series.map((s) => s.values.map((v) => (log && v !== null && v <= 0 ? null : v)))] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: 180 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [weeks, series, format, log, ticks]);
  return (
    <figure className="week-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div ref={box} />
    </figure>
  );
}
