import { extname } from 'node:path';
import { checkKind, DRAFT_REASON, IngestError, parseFrontMatter } from './front-matter.js';
import { factsFromFrontMatter } from './facts.js';
import { extractMarkdownTables, parsePriceCsv, type FactDraft } from './price-table.js';
import { detectLanguage, titleFromFileName } from './text.js';
import type { KnowledgeKind, KnowledgeLanguage } from './types.js';

/** File formats the knowledge folder accepts, by extension. */
export const FORMATS: Record<string, DocFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.pdf': 'pdf',
  '.html': 'html',
  '.htm': 'html',
  '.docx': 'docx',
  '.csv': 'csv',
};
export type DocFormat = 'markdown' | 'text' | 'pdf' | 'html' | 'docx' | 'csv';

/** A file turned into Markdown-like text plus metadata and facts, ready for chunking. */
export interface ParsedDocument {
  format: DocFormat;
  kind: KnowledgeKind;
  title: string;
  language: KnowledgeLanguage;
  audience: string | null;
  /** `YYYY-MM-DD` or null. */
  validUntil: string | null;
  /** Front matter `keywords`, indexed with the title (weight A). */
  keywords: string[];
  /** The web page the file was fetched from (front matter `source_url`), else null. */
  sourceUrl: string | null;
  /** Markdown-like text: `#` headings, `- ` items, paragraphs separated by blank lines. */
  body: string;
  facts: FactDraft[];
}

const KIND_WORDS: Record<string, KnowledgeKind> = {
  faq: 'faq', faqs: 'faq', questions: 'faq',
  offer: 'offer', offers: 'offer', services: 'offer', service: 'offer',
  pricing: 'pricing', prices: 'pricing', price: 'pricing', 'price-list': 'pricing', tarifs: 'pricing', rates: 'pricing',
  policy: 'policy', policies: 'policy', terms: 'policy',
  voice: 'voice', tone: 'voice', style: 'voice',
  procedure: 'procedure', procedures: 'procedure', 'how-to': 'procedure', howto: 'procedure',
  example: 'example', examples: 'example',
};

/**
 * Kind for a file without a `kind:` in front matter: from its folders or file name
 * (`faq/…` → faq, `pricing.md` → pricing, `policies/…` → policy), CSV → pricing, else faq.
 */
export function inferKind(path: string, format: DocFormat): KnowledgeKind {
  const segments = path.toLowerCase().replace(/\.[^./]+$/, '').split('/');
  for (const s of segments.reverse()) {
    const k = KIND_WORDS[s];
    if (k) return k;
  }
  return format === 'csv' ? 'pricing' : 'faq';
}

function decodeText(buf: Buffer): string {
  const head = buf.subarray(0, 8192);
  if (head.includes(0)) throw new IngestError('binary file: contains NUL bytes, not text');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    // Windows-1252 exports are common; accept them if they are mostly printable.
    const latin = buf.toString('latin1');
    const bad = (latin.match(/[\x00-\x08\x0e-\x1f\x7f-\x9f]/g) ?? []).length;
    if (bad > latin.length * 0.01) throw new IngestError('binary file: not valid UTF-8 text');
    return latin;
  }
}

async function pdfText(buf: Buffer): Promise<string> {
  if (buf.subarray(0, 1024).indexOf('%PDF-') < 0) throw new IngestError('not a PDF: the %PDF header is missing (corrupt or renamed file)');
  const tail = buf.subarray(Math.max(0, buf.length - 65536)).toString('latin1');
  if (/\/Encrypt\b/.test(tail) || /\/Encrypt\s/.test(buf.subarray(0, 65536).toString('latin1'))) {
    throw new IngestError('encrypted PDF: it is password-protected; save an unprotected copy into the folder');
  }
  let pages: string[];
  try {
    const { extractText, getDocumentProxy } = await import('unpdf');
    const doc = await getDocumentProxy(new Uint8Array(buf), { verbosity: 0 });
    try {
      pages = (await extractText(doc, { mergePages: false })).text;
    } finally {
      await doc.destroy();
    }
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'PasswordException') throw new IngestError('encrypted PDF: it is password-protected; save an unprotected copy into the folder');
    throw new IngestError(`corrupt PDF: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (pages.every((p) => !p.trim())) throw new IngestError('PDF has no extractable text (scanned images?); OCR is not supported, add a text version');
  return pages.map((p, i) => `## Page ${i + 1}\n\n${p.replace(/[ \t]+\n/g, '\n').trim()}`).join('\n\n');
}

async function docxText(buf: Buffer): Promise<{ title: string | null; text: string }> {
  if (buf.subarray(0, 4).toString('latin1') !== 'PK\x03\x04') throw new IngestError('not a DOCX: it is not a ZIP container (corrupt or renamed file)');
  try {
    // HTML keeps headings (extractRawText would flatten them), so chunks keep their heading path.
    const { default: mammoth } = await import('mammoth');
    const { value } = await mammoth.convertToHtml({ buffer: buf });
    const { htmlToText } = await import('./html-text.js');
    return htmlToText(`<body>${value}</body>`);
  } catch (err) {
    throw new IngestError(`DOCX cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function firstHeading(body: string): string | null {
  const m = /^#\s+(.+?)\s*#*\s*$/m.exec(body);
  return m ? m[1]!.trim() : null;
}

/**
 * Parses one knowledge file. `path` is relative to the knowledge folder (used for kind and title
 * inference and in messages).
 * @throws IngestError with a reason the owner can act on (unsupported type, binary, corrupt or
 *   encrypted PDF, invalid front matter, unknown kind, unreadable CSV/DOCX).
 */
export async function parseKnowledgeFile(path: string, buf: Buffer, defaultCurrency: string): Promise<ParsedDocument> {
  const ext = extname(path).toLowerCase();
  const format = FORMATS[ext];
  if (!format) throw new IngestError(`unsupported file type "${ext || '(none)'}" (supported: ${Object.keys(FORMATS).join(', ')})`);
  let body = '';
  let title: string | null = null;
  let facts: FactDraft[] = [];
  let meta: ReturnType<typeof parseFrontMatter>['meta'] = {};
  switch (format) {
    case 'markdown': {
      const fm = parseFrontMatter(decodeText(buf));
      meta = fm.meta;
      body = fm.body;
      if (meta.facts) facts = factsFromFrontMatter(meta.facts, defaultCurrency);
      break;
    }
    case 'text': {
      const text = decodeText(buf);
      // A .txt may carry front matter too; plain text without it is taken as is.
      const fm = /^---\r?\n/.test(text) ? parseFrontMatter(text) : { meta: {}, body: text };
      meta = fm.meta;
      body = fm.body;
      if (meta.facts) facts = factsFromFrontMatter(meta.facts, defaultCurrency);
      break;
    }
    case 'html': {
      const { htmlToText } = await import('./html-text.js'); // node-html-parser loads with the first HTML file
      const h = htmlToText(decodeText(buf));
      title = h.title;
      body = h.text;
      break;
    }
    case 'docx': {
      const d = await docxText(buf);
      body = d.text;
      break;
    }
    case 'pdf':
      body = await pdfText(buf);
      break;
    case 'csv': {
      const csv = parsePriceCsv(decodeText(buf), titleFromFileName(path), defaultCurrency);
      body = csv.markdown;
      facts = csv.facts;
      break;
    }
  }
  // A template's skeleton (`draft: true`) holds "[fill me in: …]" placeholders: never facts.
  if (meta.draft === true) throw new IngestError(DRAFT_REASON);
  const tables = extractMarkdownTables(body, defaultCurrency);
  body = tables.body;
  facts = [...facts, ...tables.facts];
  if (!body.trim()) throw new IngestError('the file has no text');
  const kind = meta.kind ?? checkKind(inferKind(path, format));
  const resolvedTitle = meta.title ?? firstHeading(body) ?? title ?? titleFromFileName(path);
  return {
    format,
    kind,
    title: resolvedTitle,
    language: meta.language ?? detectLanguage(`${resolvedTitle}\n${body}`),
    audience: meta.audience ?? null,
    validUntil: meta.validUntil ?? null,
    keywords: meta.keywords ?? [],
    sourceUrl: meta.sourceUrl ?? null,
    body,
    facts,
  };
}
