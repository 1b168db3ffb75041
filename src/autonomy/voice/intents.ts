/**
 * Keyword intents of a caller's utterance, English and French, for the offline receptionist.
 * Words are matched on a folded copy (lower case, accents removed), whole words only.
 */

/** What a caller wants, as far as keywords tell. `other`: none matched. */
export type Intent = 'emergency' | 'angry' | 'person' | 'cancel' | 'goodbye' | 'book' | 'question' | 'yes' | 'no' | 'other';

/** Lower case, accents and apostrophe variants removed, whitespace collapsed. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[’`]/g, "'").toLowerCase().replace(/\s+/g, ' ').trim();
}

const RULES: Array<[Exclude<Intent, 'other' | 'yes' | 'no'>, RegExp]> = [
  ['emergency', /\b(emergenc\w*|urgent\w*|urgence|flood\w*|burst|gas leak|fuite de gaz|inond\w*|fire|feu|smoke|fumee|no heat|pas de chauffage|sparks?|etincelles?)\b/],
  ['angry', /\b(angry|furious|ridiculous|unacceptable|terrible|worst|complain\w*|lawyer|scam|fache|furieux|inacceptable|plainte|arnaque|ridicule)\b/],
  ['person', /\b(real person|a person|human|someone real|operator|speak to (the )?(owner|someone|somebody|a person)|talk to (the )?(owner|someone|somebody|a person)|une personne|quelqu'un|un humain|le proprietaire|parler a)\b/],
  ['cancel', /\b(cancel\w*|annul\w*)\b/],
  ['goodbye', /^(no,? )?(that'?s all|that is all|bye|goodbye|good bye|thanks?,? bye|nothing else|no thanks?|au revoir|c'est tout|merci,? au revoir|rien d'autre|non merci)\b/],
  ['book', /\b(book\w*|appointment|schedule|come (out|over|by|tomorrow|today|on)|visit|can you come|send someone|rendez-vous|rdv|reserv\w*|venir|passer)\b/],
  ['question', /(\?|\b(how much|price|prices|cost|costs|charge|fee|rate|rates|do you|are you|what|when|where|which|hours|open|combien|prix|tarif\w*|quel\w*|est-ce que|ouvert\w*|horaires?)\b)/],
];

const YES = /^(yes|yeah|yep|yup|sure|correct|right|ok|okay|please do|that'?s right|sounds good|perfect|oui|ouais|d'accord|parfait|exact\w*|c'est ca)\b/;
const NO = /^(no|nope|nah|not really|wrong|non|pas vraiment)\b/;

/** The most pressing intent of `text`: emergency > angry > person > cancel > goodbye > book > question. */
export function intentOf(text: string): Intent {
  const t = fold(text);
  if (!t) return 'other';
  for (const [intent, re] of RULES) if (re.test(t)) return intent;
  if (YES.test(t)) return 'yes';
  if (NO.test(t)) return 'no';
  return 'other';
}

/** yes / no / null for a confirmation answer (speech, or keypad 1 = yes, 2 = no). */
export function yesNo(text: string, digits = ''): 'yes' | 'no' | null {
  if (digits.startsWith('1')) return 'yes';
  if (digits.startsWith('2')) return 'no';
  const t = fold(text);
  if (YES.test(t)) return 'yes';
  if (NO.test(t)) return 'no';
  return null;
}

/** True when the words look French (for a caller who answers in French on an English line). */
export function looksFrench(text: string): boolean {
  return /\b(bonjour|oui|non|je|j'ai|vous|est-ce|combien|rendez-vous|merci|s'il vous plait|pour|mon|ma|c'est)\b/.test(fold(text));
}
