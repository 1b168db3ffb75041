import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, parseDocument, type Document } from 'yaml';
import type { TenantInfo } from '../../records/tenants.js';
import { InputError } from '../../core/errors.js';
import { normalisePhone } from '../../core/phone.js';
import { tenantCountry } from '../../records/tenant-file.js';
import { findTemplate, listFiles } from './templates.js';
import { createBusinessFolder, fillPlaceholders, type BusinessFiles, type CreateDeps } from './business-folder.js';

/** Who the new business is: asked for every time, never copied from a template or another business. */
export interface NewBusinessIdentity {
  name: string;
  slug: string;
  /** The business's own number (calls and texts are routed by it); read in the business's country. */
  phone: string;
  timeZone: string;
  ownerName: string;
  ownerEmail?: string;
}

/**
 * Keys of tenant.yaml that belong to one business and are never copied into another (asked for or
 * left out): its numbers, its owner's contact and name in the sign-off, its links, its own mail addresses.
 */
export const NOT_COPIED_KEYS: ReadonlyArray<readonly string[]> = [
  ['owner'], ['phone'], ['profile', 'sign_off'], ['profile', 'other_phones'], ['profile', 'website'], ['profile', 'booking_link'], ['profile', 'review_link'],
  ['voice', 'ring'], ['voice', 'transfer_to'], ['brief', 'to'], ['playbooks', 'inbox-triage', 'own_addresses'],
];

/** Sets the identity into a tenant.yaml text (comments kept) and removes what belongs to another business. */
function withIdentity(text: string, id: NewBusinessIdentity): string {
  const doc: Document = parseDocument(text);
  for (const path of NOT_COPIED_KEYS) if (doc.hasIn([...path])) doc.deleteIn([...path]);
  const phone = normalisePhone(id.phone, tenantCountry((doc.toJS() ?? {}) as Record<string, unknown>)) ?? id.phone;
  doc.set('slug', id.slug);
  doc.set('name', id.name);
  doc.set('time_zone', id.timeZone);
  doc.set('phone', phone);
  doc.set('owner', doc.createNode({ name: id.ownerName, ...(id.ownerEmail ? { email: id.ownerEmail } : {}) }));
  return doc.toString();
}

function checkIdentity(id: NewBusinessIdentity): void {
  for (const [k, v] of [['name', id.name], ['slug', id.slug], ['phone', id.phone], ['timeZone', id.timeZone], ['ownerName', id.ownerName], ['ownerEmail', id.ownerEmail ?? 'x']] as const) {
    if (!v || !v.trim()) throw new InputError(`${k} is required`, { fix: 'Give name, slug, phone, timeZone and ownerName (ownerEmail is optional).' });
    // Names are written into files (YAML, knowledge front matter): one line of text only.
    if (/[\u0000-\u001f\u007f]/.test(v)) throw new InputError(`${k}: must be one line of text, without control characters`, { fix: `Type the ${k} again on one line.` });
  }
}

/** A forms.yaml text without its `forms.secret` (per business: never copied); the rest kept as written. */
function formsWithoutSecret(text: string): string {
  const forms = parseDocument(text);
  if (forms.hasIn(['forms', 'secret'])) forms.deleteIn(['forms', 'secret']);
  const rest = forms.get('forms');
  if (rest === null || (isMap(rest) && rest.items.length === 0)) forms.delete('forms');
  return forms.toString();
}

/**
 * Creates a business from a shipped template (`templates/<id>/`): its tenant.yaml with the identity
 * set, policy.yaml, forms.yaml and knowledge skeleton (drafts), placeholders filled in; all or
 * nothing (see {@link createBusinessFolder}).
 */
export async function createFromTemplate(deps: CreateDeps, templateId: string, id: NewBusinessIdentity, creatorId: string, templatesRoot?: string): Promise<TenantInfo> {
  checkIdentity(id);
  const t = findTemplate(templateId, templatesRoot);
  const fill = (s: string) => fillPlaceholders(s, { name: id.name, phone: id.phone, ownerName: id.ownerName });
  const files: BusinessFiles = new Map();
  files.set('tenant.yaml', withIdentity(fill(readFileSync(join(t.dir, 'tenant.yaml'), 'utf8')), id));
  if (existsSync(join(t.dir, 'policy.yaml'))) files.set('policy.yaml', readFileSync(join(t.dir, 'policy.yaml'), 'utf8'));
  if (existsSync(join(t.dir, 'forms.yaml'))) files.set('forms.yaml', formsWithoutSecret(readFileSync(join(t.dir, 'forms.yaml'), 'utf8')));
  for (const rel of t.knowledge) files.set(`knowledge/${rel}`, fill(readFileSync(join(t.dir, 'knowledge', rel), 'utf8')));
  if (!t.knowledge.length) files.set('knowledge/.keep', '');
  return createBusinessFolder(deps, id.slug, files, creatorId, `templates/${t.id}`, { template: t.id });
}

/**
 * Creates a business with the setup of `source`: tenant.yaml (settings, playbooks and their
 * settings, voice, booking, ROI; without {@link NOT_COPIED_KEYS}), policy.yaml, forms.yaml without
 * its `forms.secret`, and the knowledge folder. Never records, credentials, tokens or connections
 * (those live in the database and are not read here); all or nothing.
 */
export async function cloneBusiness(deps: CreateDeps, source: TenantInfo, id: NewBusinessIdentity, creatorId: string): Promise<TenantInfo> {
  checkIdentity(id);
  const files: BusinessFiles = new Map();
  files.set('tenant.yaml', withIdentity(readFileSync(join(source.dir, 'tenant.yaml'), 'utf8'), id));
  if (existsSync(join(source.dir, 'policy.yaml'))) files.set('policy.yaml', readFileSync(join(source.dir, 'policy.yaml'), 'utf8'));
  if (existsSync(join(source.dir, 'forms.yaml'))) files.set('forms.yaml', formsWithoutSecret(readFileSync(join(source.dir, 'forms.yaml'), 'utf8')));
  for (const rel of listFiles(join(source.dir, 'knowledge'))) files.set(`knowledge/${rel}`, readFileSync(join(source.dir, 'knowledge', rel)));
  if (![...files.keys()].some((k) => k.startsWith('knowledge/'))) files.set('knowledge/.keep', '');
  return createBusinessFolder(deps, id.slug, files, creatorId, `clone of ${source.slug}`, { clonedFrom: source.slug });
}
