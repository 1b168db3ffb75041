import { describe, it, expect } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { catalogueOf, matchLineItems, lineItemsFromIds, cleanItemText } from './line-items.js';
import { proposalMarkdown, proposalPdf, proposalTotal } from './proposal-document.js';
import type { KnowledgeFact } from '../../knowledge/types.js';

const fact = (id: string, service: string, dollars: number, unit: string | null): KnowledgeFact => ({
  id, type: 'price', key: service.toLowerCase(), value: service, service, amountCents: dollars * 100, currency: 'CAD', unit, file: 'price-list.csv', validUntil: null,
});
const CATALOGUE = catalogueOf([
  fact('f1', 'Drain cleaning (one drain)', 149, 'per drain'),
  fact('f2', 'Main sewer line cleaning', 249, 'per visit'),
  fact('f3', 'Camera inspection', 199, 'per visit'),
  fact('f4', 'Water heater 40 gal gas tank', 1895, 'installed'),
  fact('f5', 'Water heater 50 gal gas tank', 2195, 'installed'),
  fact('f6', 'Tankless water heater', 4495, 'from'),
  { ...fact('f7', 'Service call', 89, null), type: 'hours' },
], 'CAD');

describe('line items from knowledge', () => {
  it('matches requested services to price facts and lists the rest as unpriced', () => {
    const pick = matchLineItems('Hi, can you quote drain cleaning for the kitchen sink, a camera inspection and replacing our 40 gallon gas water heater? I also need a heat pump installed for $500.', CATALOGUE);
    expect(pick.items.map((i) => [i.factId, i.unitCents])).toEqual([['f1', 14900], ['f3', 19900], ['f4', 189500]]);
    expect(pick.unpriced).toEqual(['I also need a heat pump installed for']);
    expect(proposalTotal(pick.items)).toBe(14900 + 19900 + 189500);
  });

  it('reads a count before the service (2 faucets, three drains) but not a number of the name (40 gal)', () => {
    const cat = catalogueOf([fact('f8', 'Faucet replacement', 179, 'flat'), ...[fact('f1', 'Drain cleaning (one drain)', 149, 'per drain'), fact('f4', 'Water heater 40 gal gas tank', 1895, 'installed')]], 'CAD');
    const pick = matchLineItems('Please replace 2 faucets; clean three drains; a 40 gal gas water heater tank; 99 faucets replacement', cat);
    expect(pick.items.map((i) => [i.factId, i.quantity, i.totalCents])).toEqual([['f8', 2, 35800], ['f1', 3, 44700], ['f4', 1, 189500]]);
  });

  it('a near name is not a match (50 gal is not 40 gal, tankless is not a tank)', () => {
    expect(matchLineItems('please quote a water heater', CATALOGUE).items).toEqual([]);
    expect(matchLineItems('we want a tankless water heater', CATALOGUE).items.map((i) => i.factId)).toEqual(['f6']);
  });

  it('model ids outside the catalogue are dropped and prices come from the catalogue', () => {
    const r = lineItemsFromIds(['f2', 'f2', 'f7', 'made-up'], ['Heat pump https://evil.example +1 416 555 0000'], CATALOGUE);
    expect(r.items.map((i) => [i.factId, i.totalCents])).toEqual([['f2', 24900]]);
    expect(r.unknownIds).toEqual(['f7', 'made-up']);
    expect(r.unpriced).toEqual(['Heat pump']);
    expect(cleanItemText('x'.repeat(200))).toHaveLength(80);
  });
});

describe('proposal document', () => {
  it('the PDF parses back with every price, the total and the unpriced note', async () => {
    const pick = matchLineItems('drain cleaning, camera inspection, a tankless water heater and a new heat pump install', CATALOGUE);
    const content = { business: 'Maple Plumbing & Heating', customerName: 'Ana Lopez', dealTitle: 'Basement renovation', version: 2, date: '2026-12-02', intro: 'Thank you for asking. Here is our proposal, priced from our price list — prices in CAD.', items: pick.items, unpriced: pick.unpriced, currency: 'CAD', signOff: '— Dana & the Maple team' };
    const md = proposalMarkdown(content);
    expect(md).toContain('| Tankless water heater | 1 | from $4,495 | $4,495 | price-list.csv |');
    expect(md).toContain('**Total (at least): $4,843 CAD**');
    expect(md).toContain('## To be quoted by the owner');
    const pdf = await proposalPdf(content);
    expect(Buffer.from(pdf.slice(0, 5)).toString()).toBe('%PDF-');
    const { text } = await extractText(await getDocumentProxy(pdf), { mergePages: true });
    for (const s of ['Proposal 2: Basement renovation', 'Drain cleaning (one drain)', '$149 per drain', '$199 per visit', 'from $4,495', 'Total (at least): $4,843 CAD', 'To be quoted by the owner', 'new heat pump install', 'Dana & the Maple team']) expect(text).toContain(s);
  });
});
