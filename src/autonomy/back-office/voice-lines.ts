import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { Contact } from '../../store/schema.js';
import { quotableName } from '../../records/contact-names.js';
import { firstName } from '../../core/sanitize-name.js';

/** How the business opens and ends a message, from its voice file (knowledge of kind `voice`). */
export interface VoiceLines {
  /** E.g. `Hi Ana,` (the first name only when it may be quoted). */
  greeting: string;
  /** E.g. `— Dana & the Maple team`. */
  signOff: string;
  /** Up to ~1,500 characters of the voice file, for a model draft (trusted: the owner's own file). */
  rules: string;
}

/** The first quoted line under a heading matching `heading` in the voice file's text. */
function quotedUnder(text: string, heading: RegExp): string | null {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^#+\s/.test(l) && heading.test(l));
  if (at < 0) return null;
  for (const l of lines.slice(at + 1)) {
    if (/^#+\s/.test(l)) break;
    const q = /["“]([^"”]{2,120})["”]/.exec(l);
    if (q) return q[1]!.trim();
  }
  return null;
}

/**
 * Reads the tenant's voice file (the indexed chunks of knowledge of kind `voice`) for the sign-off
 * and the rules; falls back to `profile.sign_off`, else `— <business name>`. The greeting is
 * `Hi <first name>,` (`Bonjour …` in French), or `Hi,` when the name may not be quoted.
 */
export async function voiceLines(db: Db, tenant: TenantInfo, contact: Pick<Contact, 'name' | 'name_source' | 'name_verified'> | null): Promise<VoiceLines> {
  const chunks = await db.selectFrom('knowledge_chunks').select(['body', 'heading_path']).where('tenant_id', '=', tenant.id).where('kind', '=', 'voice').orderBy('file').orderBy('seq').execute();
  const text = chunks.map((c) => `## ${c.heading_path.split(' > ').pop() ?? ''}\n${c.body}`).join('\n');
  const signOff = quotedUnder(text, /sign[- ]?off|signature/i) ?? tenant.profile.sign_off ?? `— ${tenant.name}`;
  const fr = tenant.locale.toLowerCase().startsWith('fr');
  const name = contact ? firstName(quotableName(contact)) : null;
  const greeting = name ? `${fr ? 'Bonjour' : 'Hi'} ${name},` : fr ? 'Bonjour,' : 'Hi,';
  return { greeting, signOff: /^[—–-]/.test(signOff) ? signOff : `— ${signOff}`, rules: text.slice(0, 1500) };
}
