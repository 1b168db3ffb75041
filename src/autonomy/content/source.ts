import { createHash } from 'node:crypto';
import { InputError } from '../../core/errors.js';
import { parseKnowledgeFile, type DocFormat } from '../../knowledge/extract.js';
import { IngestError } from '../../knowledge/front-matter.js';
import { extractIdeas, type Idea } from './ideas.js';

/** Largest source accepted, in bytes (a long transcript or a PDF of a few dozen pages). */
export const SOURCE_MAX_BYTES = 10 * 1024 * 1024;

/** A source read into text, with its ideas. */
export interface ReadSource {
  title: string;
  format: DocFormat;
  /** The text ideas point into (Markdown-like; the title as a `#` heading when the file had none). */
  body: string;
  /** SHA-256 of the file's bytes, hex: the same file added twice is one source. */
  sha256: string;
  ideas: Idea[];
}

/**
 * Reads a source (Markdown, HTML, plain text or a transcript, PDF, DOCX: the knowledge folder's
 * formats) and extracts its ideas. The title becomes the top heading when the text has none, so
 * an FAQ's question is seen.
 * @throws InputError `content_unreadable` (unsupported, binary, corrupt, too large) or
 *   `content_nothing_postable` (the text holds no tip, question, story, quote or offer)
 */
export async function readSource(name: string, bytes: Buffer, currency: string): Promise<ReadSource> {
  if (bytes.length > SOURCE_MAX_BYTES) throw new InputError(`${name} is ${(bytes.length / 1048576).toFixed(1)} MB; sources are at most ${SOURCE_MAX_BYTES / 1048576} MB`, { code: 'content_unreadable', fix: 'Split the file, or add the part worth posting about.' });
  let doc;
  try {
    doc = await parseKnowledgeFile(name, bytes, currency);
  } catch (err) {
    if (err instanceof IngestError) throw new InputError(`${name} cannot be read: ${err.message}`, { code: 'content_unreadable', fix: 'Add a Markdown, HTML, text, PDF or DOCX file with the text in it.' });
    throw err;
  }
  const body = /^\s*#\s/.test(doc.body) ? doc.body : `# ${doc.title}\n\n${doc.body}`;
  const ideas = extractIdeas(body);
  if (!ideas.length) {
    throw new InputError(`${name} has nothing to post about: no tip, question, story, quote or offer was found in it`, {
      code: 'content_nothing_postable',
      fix: 'Add a longer piece in your own words (a blog post, notes from a job, a transcript), with full sentences.',
    });
  }
  return { title: doc.title, format: doc.format, body, sha256: createHash('sha256').update(bytes).digest('hex'), ideas };
}
