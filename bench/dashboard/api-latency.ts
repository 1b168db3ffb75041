/**
 * API latency over loopback: for each endpoint, a few warm-up requests, then `n` sequential
 * requests timed from `fetch` to the last body byte (ms), and the CPU time this process (AIOS and
 * the client both) spent per request (ms): unlike wall time, it barely moves when other
 * processes load the machine; PostgreSQL's own time is in the wall time only. An endpoint that answers 404 (not in this
 * tree yet) is skipped with a note, so the integrator just re-runs the bench after a merge.
 */
import { percentile } from '../lib/stats.js';

/** One endpoint to time and the p95 it must meet (ms). */
export interface Endpoint {
  path: string;
  targetMs: number | null;
}

/** p50/p95/max (ms) of one endpoint, its answer's size (bytes), or why it was skipped. */
export type Latency = { path: string; targetMs: number | null; n: number; p50: number; p95: number; max: number; bytes: number; status: number; cpuMs: number } | { path: string; skipped: string };

/** Times every endpoint in turn with `auth` headers against `base` (e.g. http://127.0.0.1:4400). */
export async function measureEndpoints(base: string, headers: Record<string, string>, endpoints: Endpoint[], n = 200, warmup = 20): Promise<Latency[]> {
  const out: Latency[] = [];
  for (const e of endpoints) {
    const first = await fetch(base + e.path, { headers });
    const text = await first.text();
    if (first.status === 404) {
      out.push({ path: e.path, skipped: `404 (not in this tree): ${text.slice(0, 80)}` });
      continue;
    }
    if (first.status !== 200) {
      out.push({ path: e.path, skipped: `HTTP ${first.status}: ${text.slice(0, 120)}` });
      continue;
    }
    for (let i = 0; i < warmup; i++) await (await fetch(base + e.path, { headers })).arrayBuffer();
    const ms: number[] = [];
    let bytes = 0;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const r = await fetch(base + e.path, { headers });
      bytes = (await r.arrayBuffer()).byteLength;
      ms.push(performance.now() - s);
    }
    const cpu = process.cpuUsage(cpu0);
    out.push({ path: e.path, targetMs: e.targetMs, cpuMs: (cpu.user + cpu.system) / 1000 / n, n, p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms), bytes, status: 200 });
  }
  return out;
}
