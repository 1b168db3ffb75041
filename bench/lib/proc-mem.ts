import { readFileSync, readdirSync } from 'node:fs';

function kb(text: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** Resident set size of one process, in MiB (0 if it is gone). */
export function rssMiB(pid: number): number {
  try {
    return kb(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS') / 1024;
  } catch {
    return 0;
  }
}

/**
 * Memory of a PostgreSQL server: the sum of PSS (proportional set size, so shared buffers are
 * counted once) over the postmaster and its children, in MiB.
 */
export function postgresPssMiB(postmasterPid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (Number(entry) !== postmasterPid && ppid !== postmasterPid) continue;
      total += kb(readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8'), 'Pss');
    } catch {
      /* process ended */
    }
  }
  return total / 1024;
}

/** Samples a function every `ms` and keeps the peak. */
export function peakSampler(fn: () => number, ms = 250): { stop(): number } {
  let peak = fn();
  const t = setInterval(() => (peak = Math.max(peak, fn())), ms);
  return { stop: () => (clearInterval(t), Math.max(peak, fn())) };
}
