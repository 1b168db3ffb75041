import { fold } from './text.js';

/**
 * Generic small-business vocabulary, English and French (accents folded): words customers use
 * interchangeably when they ask about prices, hours, booking, payment, guarantees, areas and
 * emergencies. A query word found in a group also searches the other words of the group. Nothing
 * trade-specific lives here: a business adds its own words with front matter `keywords`.
 */
const GROUPS: string[][] = [
  ['price', 'prices', 'pricing', 'cost', 'costs', 'charge', 'charges', 'fee', 'fees', 'rate', 'rates', 'how much', 'prix', 'tarif', 'tarifs', 'cout', 'coute', 'couts', 'combien', 'frais'],
  ['hours', 'open', 'opening', 'closed', 'heures', 'horaire', 'horaires', 'ouvert', 'ouverts', 'ferme', 'fermes'],
  ['accept', 'accepted', 'take', 'takes', 'acceptez', 'accepte', 'acceptes', 'prenez'],
  ['contact', 'reach', 'phone', 'call', 'email', 'e-mail', 'address', 'joindre', 'courriel', 'telephone', 'appeler', 'adresse'],
  ['book', 'booking', 'appointment', 'appointments', 'schedule', 'scheduling', 'reserve', 'reservation', 'rendez-vous', 'rdv', 'reserver'],
  ['online', 'website', 'web', 'link', 'internet', 'en ligne', 'site web', 'lien'],
  ['cancel', 'cancellation', 'cancelling', 'reschedule', 'rescheduling', 'annuler', 'annulation', 'reporter'],
  ['pay', 'payment', 'payments', 'paying', 'invoice', 'deposit', 'payer', 'paiement', 'paiements', 'facture', 'depot', 'verser'],
  ['warranty', 'warranties', 'guarantee', 'guaranteed', 'guarantees', 'garantie', 'garanties', 'garanti'],
  ['area', 'areas', 'serve', 'service area', 'travel', 'far', 'distance', 'region', 'secteur', 'secteurs', 'zone', 'deplacement', 'desservez'],
  ['emergency', 'emergencies', 'urgent', 'after-hours', 'urgence', 'urgences'],
  ['refund', 'refunds', 'money back', 'remboursement', 'rembourser', 'rembourse'],
  ['discount', 'discounts', 'rebate', 'promo', 'coupon', 'special', 'specials', 'sale', 'on sale', 'rabais', 'reduction', 'escompte', 'promotion', 'solde', 'soldes'],
  ['estimate', 'estimates', 'quote', 'quotes', 'soumission', 'devis', 'estimation'],
  ['weekend', 'weekends', 'saturday', 'sunday', 'samedi', 'dimanche', 'fin de semaine'],
];

const INDEX = new Map<string, number>();
GROUPS.forEach((g, i) => {
  for (const w of g) INDEX.set(fold(w), i);
});

/** True for a word of the generic business vocabulary (folded, lowercased): "price", "online", "warranty"… */
export function isLexiconWord(word: string): boolean {
  return INDEX.has(word);
}

/** Phrases (two words or more) of the lexicon, longest first, for matching in a question. */
const PHRASES = [...INDEX.keys()].filter((k) => k.includes(' ')).sort((a, b) => b.length - a.length);

/**
 * Concepts of a question: each is a list of alternatives (the word itself, plus its lexicon group
 * when it has one). `tokens` must be content tokens (folded, lowercased, no stop words);
 * `folded` is the folded, lowercased question, used to spot multi-word phrases ("how much").
 */
export function expandConcepts(tokens: string[], foldedQuestion: string): string[][] {
  const concepts: string[][] = [];
  const seenGroups = new Set<number>();
  for (const p of PHRASES) {
    if (new RegExp(`\\b${p.replace(/[-]/g, '[- ]?')}\\b`).test(foldedQuestion)) {
      const g = INDEX.get(p)!;
      if (!seenGroups.has(g)) {
        seenGroups.add(g);
        concepts.push(GROUPS[g]!.map(fold));
      }
    }
  }
  for (const raw of tokens) {
    // A clock time ("9pm", "10h30") asks about hours.
    const t = /^\d{1,2}(am|pm|h\d{0,2})$/.test(raw) ? 'hours' : raw;
    const g = INDEX.get(t);
    if (g === undefined) concepts.push([t]);
    else if (!seenGroups.has(g)) {
      seenGroups.add(g);
      concepts.push([t, ...GROUPS[g]!.map(fold).filter((w) => w !== t)]);
    }
  }
  return concepts;
}
