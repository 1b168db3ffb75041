import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../src/store/db.js';
import { syncKnowledge } from '../../src/knowledge/sync.js';
import type { SyncResult } from '../../src/knowledge/types.js';
import { makeCorpus, prng } from './synthetic.js';
import { printTable } from './table.js';

const KINDS = ['offer', 'pricing', 'policy', 'faq', 'procedure', 'example'];

/** Writes `n` documents: 85% Markdown (front matter, 2–6 sections), 5% CSV price lists, 5% HTML, 5% text. */
function generateFolder(dir: string, n: number): number {
  const corpus = makeCorpus(7);
  const rand = prng(11);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const sub = join(dir, KINDS[i % KINDS.length]!);
    mkdirSync(sub, { recursive: true });
    const r = i % 20;
    let name: string;
    let text: string;
    if (r === 0) {
      name = `prices-${i}.csv`;
      text = 'service,price,unit\n' + Array.from({ length: 30 }, (_, j) => `${corpus.text(3)},${50 + ((i * 31 + j * 17) % 900)},per visit`).join('\n') + '\n';
    } else if (r === 1) {
      name = `page-${i}.html`;
      text = `<html><head><title>${corpus.text(4)}</title><script>x()</script></head><body><nav>menu</nav><h1>${corpus.text(4)}</h1>` +
        Array.from({ length: 4 }, () => `<h2>${corpus.text(3)}</h2><p>${corpus.text(120)}</p>`).join('') + '</body></html>';
    } else if (r === 2) {
      name = `note-${i}.txt`;
      text = `${corpus.text(300)}\n\n${corpus.text(200)}\n`;
    } else {
      name = `doc-${i}.md`;
      const sections = 2 + Math.floor(rand() * 5);
      text = `---\nkind: ${KINDS[i % KINDS.length]}\ntitle: ${corpus.text(5)}\nlanguage: en\n---\n\n# ${corpus.text(4)}\n\n` +
        Array.from({ length: sections }, () => `## ${corpus.text(3)}\n\n${corpus.text(80 + Math.floor(rand() * 250))}\n\n${corpus.text(60)}\n`).join('\n');
    }
    writeFileSync(join(sub, name), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}

function row(label: string, r: SyncResult, files: number, bytes: number): (string | number)[] {
  const s = r.stats;
  return [label, files, s.ms / 1000, files / (s.ms / 1000), bytes / 1048576 / (s.ms / 1000), s.added, s.changed, s.unchanged, s.moved, s.deleted, s.failed, s.parsed];
}

/** Sync throughput on a generated folder of `n` documents: first sync, no-op re-sync, and a 10% edit/rename/delete pass. */
export async function benchSync(db: Db, n = 1000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-sync-bench-'));
  const tenantId = `bench_sync_${Date.now()}`;
  try {
    const bytes = generateFolder(dir, n);
    await db.insertInto('tenants').values({ id: tenantId, slug: tenantId, name: 'sync bench', time_zone: 'UTC', phone: null }).execute();
    const first = await syncKnowledge(db, tenantId, dir);
    const second = await syncKnowledge(db, tenantId, dir);
    // 10% churn: 50 edited, 25 renamed, 25 deleted.
    for (let i = 3; i < n && i < 3 + 50 * 20; i += 20) writeFileSync(join(dir, KINDS[i % KINDS.length]!, `doc-${i}.md`), `---\nkind: faq\ntitle: edited ${i}\n---\n\nEdited body ${i}.\n`);
    for (let i = 4; i < n && i < 4 + 25 * 20; i += 20) renameSync(join(dir, KINDS[i % KINDS.length]!, `doc-${i}.md`), join(dir, KINDS[i % KINDS.length]!, `renamed-${i}.md`));
    for (let i = 5; i < n && i < 5 + 25 * 20; i += 20) rmSync(join(dir, KINDS[i % KINDS.length]!, `doc-${i}.md`));
    const third = await syncKnowledge(db, tenantId, dir);
    const chunks = await db.selectFrom('knowledge_chunks').select(db.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    printTable(
      `Sync throughput — ${n} generated documents, ${(bytes / 1048576).toFixed(1)} MB (85% Markdown, 5% CSV, 5% HTML, 5% text), ${chunks.n} chunks`,
      ['pass', 'files', 'seconds', 'files/s', 'MB/s', 'added', 'changed', 'unchanged', 'moved', 'deleted', 'failed', 'parsed'],
      [row('first sync', first, first.stats.files, bytes), row('re-sync, nothing changed', second, second.stats.files, second.stats.bytes), row('10% churn (edit, rename, delete)', third, third.stats.files, third.stats.bytes)],
      'MB/s counts bytes read (hashed) in the pass. Unchanged files are hashed, never parsed.',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
