import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KNOWLEDGE_KINDS, type KnowledgeKind, type KnowledgeLanguage } from './types.js';

/** A file that cannot be indexed; `reason` is shown to the owner as is. */
export class IngestError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'IngestError';
  }
}

/** True for an existing calendar date written `YYYY-MM-DD` (2027-02-30 is not one). */
export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const isoDate = z
  .union([z.string(), z.date()])
  .transform((v, ctx) => {
    const s = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
    if (!isRealDate(s)) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a date (use YYYY-MM-DD)` });
      return z.NEVER;
    }
    return s;
  });

const frontMatterSchema = z
  .object({
    kind: z.string().optional(),
    title: z.string().min(1).optional(),
    valid_until: isoDate.optional(),
    audience: z.string().min(1).optional(),
    language: z.enum(['en', 'fr']).optional(),
    facts: z.record(z.string(), z.unknown()).optional(),
    keywords: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]).optional(),
    source_url: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL').optional(),
    /** `draft: true`: a skeleton still to be filled in (templates): not indexed, so never used as fact. */
    draft: z.boolean().optional(),
  })
  .loose();

/** Validated front matter of a Markdown knowledge file. */
export interface FrontMatter {
  kind?: KnowledgeKind;
  title?: string;
  /** `YYYY-MM-DD`. */
  validUntil?: string;
  audience?: string;
  language?: KnowledgeLanguage;
  facts?: Record<string, unknown>;
  /** Words customers use for this document ("unclog", "blocked sink"), indexed with the title. */
  keywords?: string[];
  /** The web page this file was fetched from (`source_url:`, written by the website crawler); answers cite it. */
  sourceUrl?: string;
  /** True for a skeleton with parts still to fill in: the file is refused, never indexed (see {@link DRAFT_REASON}). */
  draft?: boolean;
}

/** Why a `draft: true` file is not indexed (the reason the knowledge file list shows). */
export const DRAFT_REASON = 'a draft (draft: true in its front matter): not used for answers until you fill in every [fill me in] part and remove the draft line';

/** Checks a kind name; throws {@link IngestError} naming the allowed kinds. */
export function checkKind(kind: string): KnowledgeKind {
  if ((KNOWLEDGE_KINDS as readonly string[]).includes(kind)) return kind as KnowledgeKind;
  throw new IngestError(`unknown kind "${kind}" (use one of: ${KNOWLEDGE_KINDS.join(', ')})`);
}

/**
 * Validates parsed YAML as knowledge metadata (the fields of {@link FrontMatter}). `label` starts
 * every error reason (e.g. "invalid front matter"). With `strict`, unknown keys are refused too
 * (sidecars: a misspelt `audiance:` must not pass silently), and so is `facts`.
 * @throws IngestError naming the field and the problem.
 */
export function checkMeta(input: unknown, label: string, opts: { strict?: boolean } = {}): FrontMatter {
  const raw = input === null || input === undefined ? {} : input;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new IngestError(`${label}: expected "key: value" lines`);
  const schema = opts.strict ? frontMatterSchema.omit({ facts: true }).strict() : frontMatterSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || '(root)';
    throw new IngestError(`${label}: ${where}: ${issue.code === 'unrecognized_keys' ? `unknown field (allowed: ${Object.keys(schema.shape).join(', ')})` : issue.message}`);
  }
  const d = parsed.data as z.infer<typeof frontMatterSchema>;
  const meta: FrontMatter = {};
  if (d.kind !== undefined) meta.kind = checkKind(d.kind);
  if (d.title !== undefined) meta.title = d.title;
  if (d.valid_until !== undefined) meta.validUntil = d.valid_until;
  if (d.audience !== undefined) meta.audience = d.audience;
  if (d.language !== undefined) meta.language = d.language;
  if (d.facts !== undefined) meta.facts = d.facts;
  if (d.source_url !== undefined) meta.sourceUrl = d.source_url;
  if (d.draft !== undefined) meta.draft = d.draft;
  if (d.keywords !== undefined) meta.keywords = (Array.isArray(d.keywords) ? d.keywords.map(String) : d.keywords.split(',')).map((k) => k.trim()).filter(Boolean);
  return meta;
}

/**
 * Splits `---\nYAML\n---\n` from the start of a Markdown file and validates it.
 * A file without front matter yields `{}` and the whole text as body.
 * @throws IngestError on invalid YAML, a wrong field type, or an unknown kind.
 */
export function parseFrontMatter(text: string): { meta: FrontMatter; body: string } {
  const src = text.replace(/^\uFEFF/, '');
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(src);
  if (!m) {
    if (/^---[ \t]*\r?\n/.test(src)) throw new IngestError('invalid front matter: the opening "---" has no closing "---" line');
    return { meta: {}, body: src };
  }
  let raw: unknown;
  try {
    raw = parseYaml(m[1]!, { prettyErrors: false });
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new IngestError(`invalid front matter: YAML does not parse (${msg})`);
  }
  const meta = checkMeta(raw, 'invalid front matter');
  return { meta, body: src.slice(m[0].length) };
}
