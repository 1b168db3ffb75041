import type { Db } from '../store/db.js';

/** What a template may take from the tenant's voice file (`kind: voice`). */
export interface VoiceNotes {
  /** The sign-off every message ends with, e.g. "— Dana & the Maple team"; null when the file gives none. */
  signOff: string | null;
  /** Phrases the owner never wants written (lower case). */
  banned: string[];
  /** The voice file's text (owner-written, for a model's system prompt), at most 2,000 characters. */
  rules: string;
}

const QUOTED = /["“]([^"”\n]{1,120})["”]/g;

/**
 * Reads the tenant's voice file from the knowledge index: the quoted sign-off of its "Sign-off"
 * section, the quoted phrases of its "Banned phrases" section, and its text for a model. The
 * owner writes this file; a missing file gives empty notes. One query, no model.
 */
export async function readVoiceNotes(db: Db, tenantId: string): Promise<VoiceNotes> {
  const rows = await db.selectFrom('knowledge_chunks').select(['heading_path', 'body']).where('tenant_id', '=', tenantId).where('kind', '=', 'voice').orderBy('file').orderBy('seq').limit(40).execute();
  let signOff: string | null = null;
  const banned: string[] = [];
  for (const r of rows) {
    const head = r.heading_path.toLowerCase();
    const quoted = [...r.body.matchAll(QUOTED)].map((m) => m[1]!.trim());
    if (!signOff && /sign[- ]?off|signature/.test(head) && quoted[0]) signOff = quoted[0];
    if (/banned|never/.test(head)) banned.push(...quoted.map((q) => q.toLowerCase()));
  }
  const rules = rows.map((r) => `${r.heading_path}: ${r.body}`).join('\n').slice(0, 2000);
  return { signOff, banned, rules };
}
