import { describe, it, expect } from 'vitest';
import { chunkDocument, MAX_WORDS } from './chunker.js';
import { IngestError, parseFrontMatter } from './front-matter.js';
import { parseKnowledgeFile, inferKind } from './extract.js';
import { extractMarkdownTables, parsePriceCsv } from './price-table.js';
import { detectLanguage, jaccard, normalizeQuestion, slugify } from './text.js';
import { prepareQuery } from './query.js';
import { factsFromFrontMatter } from './facts.js';
import { dateInZone } from './dates.js';

describe('front matter', () => {
  it('reads the known fields and keeps the body', () => {
    const { meta, body } = parseFrontMatter('---\nkind: pricing\ntitle: Prices\nvalid_until: 2027-01-31\naudience: customers\nlanguage: fr\nkeywords: [cost, rate]\n---\n# Hi\n');
    expect(meta).toEqual({ kind: 'pricing', title: 'Prices', validUntil: '2027-01-31', audience: 'customers', language: 'fr', keywords: ['cost', 'rate'] });
    expect(body).toBe('# Hi\n');
  });

  it('says what is wrong', () => {
    const reason = (text: string) => {
      try {
        parseFrontMatter(text);
        return 'ok';
      } catch (e) {
        return (e as IngestError).reason;
      }
    };
    expect(reason('---\nkind: faq\n')).toMatch(/no closing "---"/);
    expect(reason('---\nkind: [faq\n---\n')).toMatch(/YAML does not parse/);
    expect(reason('---\n- a\n- b\n---\n')).toMatch(/expected "key: value"/);
    expect(reason('---\nkind: menu\n---\n')).toMatch(/unknown kind "menu" \(use one of: offer, pricing, policy, voice, faq, procedure, example\)/);
    expect(reason('---\nlanguage: de\n---\n')).toMatch(/language/);
    expect(reason('---\nvalid_until: 2027-02-30\n---\n')).toMatch(/valid_until.*not a date/);
    expect(reason('no front matter')).toBe('ok');
  });

  it('infers a kind from folders and file names', () => {
    expect(inferKind('faq/parking.md', 'markdown')).toBe('faq');
    expect(inferKind('policies/refunds.md', 'markdown')).toBe('policy');
    expect(inferKind('pricing.md', 'markdown')).toBe('pricing');
    expect(inferKind('stuff/rates.csv', 'csv')).toBe('pricing');
    expect(inferKind('misc/list.csv', 'csv')).toBe('pricing');
    expect(inferKind('misc/notes.txt', 'text')).toBe('faq');
  });
});

describe('chunking', () => {
  it('keeps the heading path and joins wrapped lines', () => {
    const chunks = chunkDocument('# Pricing\n\nIntro line one\ncontinues here.\n\n## Drain cleaning\n\n- One drain: $149\n- Main line: $249\n\n### Notes\n\nWeekdays only.\n', 'Pricing');
    expect(chunks.map((c) => c.headingPath.join(' > '))).toEqual(['Pricing', 'Pricing > Drain cleaning', 'Pricing > Drain cleaning > Notes']);
    expect(chunks[0]!.text).toBe('Intro line one continues here.');
    expect(chunks[1]!.text).toBe('- One drain: $149\n- Main line: $249');
  });

  it('puts the document title above headings that differ from it', () => {
    const chunks = chunkDocument('## Hours\n\nOpen 8 to 6.\n', 'About us');
    expect(chunks[0]!.headingPath).toEqual(['About us', 'Hours']);
  });

  it('splits long sections into parts of at most 400 words', () => {
    const para = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ') + '.';
    const body = `## Long\n\n${Array.from({ length: 8 }, () => para).join('\n\n')}\n`;
    const chunks = chunkDocument(body, 'Doc');
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.words).toBeLessThanOrEqual(MAX_WORDS);
      expect(c.headingPath).toEqual(['Doc', 'Long']);
    }
    expect(chunks.reduce((a, c) => a + c.words, 0)).toBe(960);
  });

  it('ignores # lines inside code fences', () => {
    const chunks = chunkDocument('## Setup\n\n```\n# not a heading\n```\n', 'Doc');
    expect(chunks).toHaveLength(1);
  });
});

describe('price lists and facts', () => {
  it('turns a CSV price list into facts and a readable list', () => {
    const { facts, markdown } = parsePriceCsv('Service,Price,Unit,Notes\nDrain cleaning,149,per drain,weekdays\nCamera,$199.50,visit,\n', 'Price list', 'CAD');
    expect(facts.map((f) => [f.service, f.amountCents, f.unit, f.currency])).toEqual([
      ['Drain cleaning', 14900, 'per drain', 'CAD'],
      ['Camera', 19950, 'visit', 'CAD'],
    ]);
    expect(markdown).toContain('- Drain cleaning: $149 CAD per drain (weekdays).');
    expect(markdown).toContain('- Camera: $199.50 CAD per visit.');
  });

  it('reads price tables inside Markdown and leaves other tables as lines', () => {
    const { body, facts } = extractMarkdownTables('Intro\n\n| Job | Cost |\n|---|---:|\n| Faucet | from $179 |\n\n| Day | Hours |\n|---|---|\n| Sat | 9-2 |\n', 'CAD');
    expect(facts).toEqual([expect.objectContaining({ service: 'Faucet', amountCents: 17900 })]);
    expect(body).toContain('- Faucet: $179 CAD.');
    expect(body).toContain('- Sat — 9-2.');
  });

  it('reads front matter facts', () => {
    const facts = factsFromFrontMatter(
      { prices: [{ service: 'Tune-up', price: 119, unit: 'visit' }], hours: { sat: '09:00-14:00' }, booking_link: 'https://x.example/', service_area: ['Toronto', 'Ajax'], wifi: 'none' },
      'CAD',
    );
    expect(facts.map((f) => [f.type, f.key, f.value])).toEqual([
      ['price', 'tune-up', 'Tune-up: $119 CAD per visit'],
      ['hours', 'sat', '09:00-14:00'],
      ['booking_link', 'booking_link', 'https://x.example/'],
      ['service_area', 'toronto', 'Toronto'],
      ['service_area', 'ajax', 'Ajax'],
      ['other', 'wifi', 'none'],
    ]);
  });
});

describe('text helpers', () => {
  it('detects English and French', () => {
    expect(detectLanguage('What are your prices for drain cleaning?')).toBe('en');
    expect(detectLanguage('Quels sont vos tarifs pour déboucher un drain ?')).toBe('fr');
    expect(detectLanguage('Évier bouché')).toBe('fr');
  });

  it('normalises questions so that paraphrases compare as similar', () => {
    expect(normalizeQuestion('Do you offer FINANCING for a new furnace?!')).toBe('financing furnace new offer');
    expect(jaccard(normalizeQuestion('Do you offer financing for a new furnace?'), normalizeQuestion('Do you offer financing for new furnaces?'))).toBeGreaterThanOrEqual(0.6);
    expect(jaccard(normalizeQuestion('Do you offer financing?'), normalizeQuestion('Do you repair garage doors?'))).toBe(0);
    expect(slugify('Combien coûte l’hydrojet ?')).toBe('combien-coute-l-hydrojet');
  });

  it('prepares questions: stop words out, synonyms in, search syntax kept', () => {
    const pq = prepareQuery('How much do you charge for drain cleaning?');
    expect(pq.concepts[0]).toContain('price');
    expect(pq.concepts.flat()).toEqual(expect.arrayContaining(['drain', 'cleaning']));
    expect(pq.concepts.flat()).not.toContain('you');
    expect(prepareQuery('"drain cleaning" -sewer').strict).toBe(true);
  });

  it('computes the date in a time zone', () => {
    expect(dateInZone(new Date('2026-06-01T03:00:00Z'), 'America/Toronto')).toBe('2026-05-31');
    expect(dateInZone(new Date('2026-06-01T03:00:00Z'), 'Europe/Paris')).toBe('2026-06-01');
  });
});

describe('parseKnowledgeFile', () => {
  it('refuses binary content in text formats and unknown extensions', async () => {
    await expect(parseKnowledgeFile('a.md', Buffer.from([0x41, 0x00, 0x42]), 'CAD')).rejects.toThrow(/binary/);
    await expect(parseKnowledgeFile('a.exe', Buffer.from('MZ'), 'CAD')).rejects.toThrow(/unsupported file type/);
    await expect(parseKnowledgeFile('a.docx', Buffer.from('not a zip'), 'CAD')).rejects.toThrow(/not a DOCX/);
    await expect(parseKnowledgeFile('a.pdf', Buffer.from('hello'), 'CAD')).rejects.toThrow(/%PDF header is missing/);
    await expect(parseKnowledgeFile('empty.md', Buffer.from('---\nkind: faq\n---\n'), 'CAD')).rejects.toThrow(/no text/);
  });
});
