import { fold } from './text.js';

/**
 * What a question asks for, by a small deterministic rule set (English and French):
 * `price` (a cost, fee, rate), `hours` (opening hours, a time of day), `address` (a street
 * address), `phone`, `email`, `duration` (how long), `fee` (whether something is charged: a
 * money amount or "free" answers it), `service` (a yes/no "do you / can you …" question about the
 * business, answered by its offers, FAQs, policies or prices, not by a how-to), or `other`.
 */
export type AnswerType = 'price' | 'fee' | 'hours' | 'address' | 'phone' | 'email' | 'duration' | 'service' | 'other';

/** Rules in priority order: the first that matches the folded, lowercased question wins. */
const RULES: [AnswerType, RegExp][] = [
  ['email', /\be-?mail\b|\bcourriel\b/],
  ['address', /\baddress\b|\badresse\b|\bwhere (are you|is your (office|shop|store|business))\b|\bou (etes-vous|se trouve)\b/],
  ['phone', /\bphone\b|\b(fax|whatsapp|telephone|cell)\b|\bnumber\b|\bnumero\b/],
  ['duration', /\bhow long\b|\bcombien de temps\b|\bduree\b/],
  ['price', /\bhow much\b|\bcombien\b|\b(what|what's|whats|quel|quels|quelle|quelles)\b.*\b(price|prices|pricing|cost|costs|charge|fee|fees|rate|rates|surcharge|prix|cout|tarif|tarifs|frais)\b|\b(price|cost) (of|for|to)\b/],
  ['fee', /\b(price|prices|pricing|cost|costs|charge|charges|fee|fees|rate|rates|surcharge|prix|cout|coute|coutent|tarif|tarifs|frais)\b/],
  ['hours', /\b(hours|opening|open|close|closed)\b|\bwhat time\b|\bheures? d'?ouverture\b|\b(horaire|horaires|ouvert|ouverts|ferme|fermez)\b|\ba quelle heure\b/],
];

/** "Do you…", "Can you…", "Faites-vous…": a yes/no question about what the business does. */
const SERVICE = /^\W*(do|does|can|could|will|would|are) (you|your team|they)\b|^\W*(faites|offrez|installez|reparez|vendez|desservez|acceptez|pouvez|etes)-vous\b/;

/** The answer type a question asks for (see {@link AnswerType}). */
export function classifyAnswerType(question: string): AnswerType {
  const q = fold(question.toLowerCase()).replace(/[’']/g, "'");
  for (const [type, re] of RULES) if (re.test(q)) return type;
  return SERVICE.test(q) ? 'service' : 'other';
}

/** Evidence of each answer type in a piece of text (folded, lowercased). */
const EVIDENCE: Record<Exclude<AnswerType, 'other' | 'service'>, RegExp> = {
  // $149, 149 $, 1 895 $ (a percentage is a tax or a discount, not a price).
  price: /\$\s?\d|\d\s?\$/,
  // A price, or "free"/"no charge"/"gratuit(ement)"/"sans frais": answers "is there a fee?".
  fee: /\$\s?\d|\d\s?\$|\bfree\b|\bno charge\b|\bno travel fee\b|\bgratuit|\bsans frais\b/,
  // 8 am, 6:00 pm, 18 h, 8h30, "closed", "24/7": a day name alone is not an hour.
  hours: /\b\d{1,2}(:\d{2})?\s?(am|pm)\b|\b\d{1,2}\s?h(\d{2})?\b|\bclosed\b|\bfermes?\b|24\/7|24 heures/,
  // A street number and street type, or a Canadian postal code.
  address: /\b\d{1,6}\s+([a-z'-]+\s+){1,4}(street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|way|crescent|cres|court|place|parkway)\b|\b(rue|avenue|boulevard|chemin|boul)\s+[a-z]|\b[a-z]\d[a-z]\s?\d[a-z]\d\b/,
  phone: /\+?\d[\d ().-]{8,}\d/,
  email: /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/,
  duration: /\b\d+(\s?(to|-|a|or)\s?\d+)?\s?(minutes?|hours?|days?|weeks?|months?|heures?|jours?|semaines?|mois)\b/,
};

/** True when `text` contains a value of the asked-for type (always true for `other`). */
export function hasAnswerType(text: string, type: AnswerType): boolean {
  return type === 'other' || type === 'service' || EVIDENCE[type].test(fold(text.toLowerCase()));
}
