/**
 * What an inbound customer message is about, read offline with phrase rules (English and French).
 * Deterministic: the same text always gets the same intent. The rules are ordered by what must not
 * be missed: an emergency first (a flooding basement that also asks "when can you come?" is an
 * emergency), then a complaint (never answered by a booking offer), then cancel / reschedule of
 * an existing appointment, then a new booking, then a question; anything else is `other`.
 */

/** The intents of an inbound message. */
export const MESSAGE_INTENTS = ['emergency', 'complaint', 'cancel', 'reschedule', 'book', 'question', 'other'] as const;
export type MessageIntent = (typeof MESSAGE_INTENTS)[number];

/** The intent of a message and the phrase that decided it (null for `other` / a bare question mark). */
export interface IntentReading {
  intent: MessageIntent;
  cue: string | null;
}

type Rules = ReadonlyArray<RegExp>;

// Written on normalised text: lower case, accents removed, apostrophes straight, spaces single.
const EMERGENCY: Rules = [
  /\bflood(?:s|ed|ing)?\b/, /\bbasement is (?:full of|under) water\b/, /\bwater (?:is )?everywhere\b/, /\bburst (?:pipe|pipes)\b/, /\bpipe(?:s)? (?:has |have )?burst\b/,
  /\bgas leak\b/, /\bsmell(?:s|ing)? (?:of |like )?gas\b/, /\bcarbon monoxide\b/, /\bco (?:alarm|detector)\b/, /\bsparks?\b/, /\bsmoke\b/, /\bon fire\b/, /\bfire\b/,
  /\bsewage\b/, /\bsewer (?:is )?back(?:ing|ed)? ?up\b/, /\boverflowing\b/, /\belectrocut/, /\bno heat\b/, /\bemergency\b/, /\burgent(?:ly)?\b/,
  // French
  /\binond(?:e|ee|es|ees|ation|ations)\b/, /\bfuite de gaz\b/, /\bodeur de gaz\b/, /\bsent le gaz\b/, /\bmonoxyde de carbone\b/, /\btuyau (?:a )?(?:eclate|perce|creve)\b/,
  /\bdegat d'eau\b/, /\bdegats d'eau\b/, /\bincendie\b/, /\bfumee\b/, /\betincelles?\b/, /\brefoulement\b/, /\begout\b/, /\bplus de chauffage\b/, /\burgence\b/, /\burgent(?:e|es)?\b/,
];

const COMPLAINT: Rules = [
  /\bnot (?:happy|satisfied|pleased)\b/, /\bunhappy\b/, /\bdisappointed\b/, /\bdisappointing\b/, /\bterrible\b/, /\bawful\b/, /\bhorrible\b/, /\bworst\b/, /\bcomplain(?:t|ts|ing)?\b/,
  /\brip ?off\b/, /\bripped (?:me )?off\b/, /\bovercharged?\b/, /\bstill (?:broken|leaking|not working|doesn't work|does not work|isn't working|dripping)\b/,
  /\b(?:didn't|did not|never) (?:fix|fixed|repair|solve)\b/, /\bnever (?:showed|show|came|arrived)\b/, /\bno[- ]show\b/, /\bunprofessional\b/, /\brude\b/, /\brefund\b/,
  /\b(?:damaged|ruined|broke) (?:my|our|the)\b/, /\b(?:bad|poor|lousy) (?:service|job|work)\b/, /\bwaste of (?:money|time)\b/, /\bscam\b/, /\blawyer\b/, /\bunacceptable\b/, /\bbad review\b/,
  // French
  /\bpas (?:content|contente|satisfait|satisfaite)\b/, /\bmecontent(?:e)?\b/, /\bdecu(?:e)?\b/, /\bplainte\b/, /\bme plaindre\b/, /\barnaque\b/, /\brembourse(?:ment|r|z)?\b/,
  /\btoujours (?:en panne|brise|brisee|casse|cassee|une fuite)\b/, /\bne (?:fonctionne|marche) toujours pas\b/, /\b(?:jamais|pas) venu(?:e|s)?\b/, /\bimpoli(?:e)?\b/, /\binacceptable\b/, /\bhonteux\b/,
];

const CANCEL: Rules = [
  /\bcancel(?:l?ed|l?ing|lation)?\b/, /\bcall(?:ing)? (?:it )?off\b/, /\b(?:no longer|don't|do not|won't) need (?:you|the|it|the appointment|anyone)\b/,
  // French
  /\bannul(?:er|e|ez|ation)\b/, /\bplus besoin\b/,
];

/** Asking to move the appointment outright: wins over "cancel" ("cancel and reschedule"). */
const RESCHEDULE_STRONG: Rules = [
  /\bre-?schedul(?:e|ed|ing)\b/, /\bre-?book\b/, /\b(?:move|change|shift|push) (?:my|the|our) (?:appointment|booking|visit|time|date)\b/, /\bpush (?:it|that) (?:back|to)\b/, /\bpostpone\b/,
  // French
  /\breport(?:er|ez)\b/, /\bdeplacer\b/, /\bdecaler\b/, /\bchanger (?:l'heure|le rendez-vous|la date|mon rendez-vous|le rdv)\b/,
];

/** Hints that the time does not suit ("can't make it"): weaker than an explicit "cancel". */
const RESCHEDULE_WEAK: Rules = [
  /\b(?:a |an )?(?:different|another|other) (?:time|day|date)\b/, /\b(?:can't|cannot|can not|won't) make it\b/, /\blater (?:time|date)\b/,
  // French
  /\bautre (?:jour|heure|moment|date)\b/, /\bje ne (?:peux|pourrai) pas (?:venir|etre la|y etre)\b/,
];

const BOOK: Rules = [
  /\bbook(?:ing|ed)?\b/, /\bappointment\b/, /\bschedul(?:e|ing) (?:a|an|someone|you|me)\b/, /\b(?:can|could|would) (?:you|someone|somebody) (?:come|stop by|swing by|drop by)\b/,
  /\bcome (?:out|over|by|and|today|tomorrow|tonight|this|next|on|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/, /\bwhen (?:can|could) you\b/,
  /\bavailab(?:le|ility)\b/, /\bsend (?:someone|somebody|a tech|a technician)\b/, /\bneed (?:someone|somebody|a plumber|a technician|an electrician)\b/, /\b(?:a |an )?(?:quote|estimate)\b/,
  // French
  /\brendez-vous\b/, /\brdv\b/, /\breserv(?:er|ation)\b/, /\b(?:pouvez|pourriez)-vous (?:venir|passer)\b/, /\bvenir (?:demain|aujourd'hui|ce|cette|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b/,
  /\bdisponib(?:le|les|ilite|ilites)\b/, /\bsoumission\b/, /\bdevis\b/, /\benvoyer quelqu'un\b/,
];

const QUESTION: Rules = [
  /^(?:what|when|where|which|who|why|how|do|does|did|are|is|can|could|would|will|should)\b/, /\bhow much\b/, /\bdo you\b/, /\bare you\b/, /\b(?:price|prices|pricing|cost|costs|rates|fee|fees)\b/, /\byour hours\b/, /\bopen (?:on|today|tomorrow|late|until|at)\b/,
  // French
  /^(?:quoi|quand|ou|quel|quelle|quels|quelles|qui|pourquoi|comment)\b/, /\bcombien\b/, /\best-ce que?\b/, /\b(?:faites|etes|avez)-vous\b/, /\b(?:prix|tarif|tarifs|frais|horaire|horaires)\b/, /\bouvert(?:s)? (?:le|ce|demain|aujourd'hui|jusqu)/,
];

/** Phrases that take the urgency out ("not urgent", "pas urgent"): removed before the emergency rules. */
const NOT_URGENT = /\b(?:not|no|nothing|isn't|is not|pas|rien d')(?: an| a| une| d'| de| very| tres| super| trop)? ?(?:urgent|urgente|emergency|urgence|rush|presse)\b/g;

const ORDER: ReadonlyArray<[MessageIntent, Rules]> = [
  ['emergency', EMERGENCY], ['complaint', COMPLAINT], ['reschedule', RESCHEDULE_STRONG], ['cancel', CANCEL], ['reschedule', RESCHEDULE_WEAK], ['book', BOOK], ['question', QUESTION],
];

/** Lower case, accents removed, straight apostrophes, single spaces. */
export function normaliseForIntent(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Classifies one inbound message (see the module comment for the order). A message that matches
 * no rule but ends with a question mark is a `question`.
 */
export function classifyMessageIntent(text: string): IntentReading {
  const norm = normaliseForIntent(text);
  for (const [intent, rules] of ORDER) {
    const hay = intent === 'emergency' ? norm.replace(NOT_URGENT, ' ') : norm;
    for (const rule of rules) {
      const m = rule.exec(hay);
      if (m) return { intent, cue: m[0] };
    }
  }
  if (/\?\s*$/.test(norm)) return { intent: 'question', cue: null };
  return { intent: 'other', cue: null };
}

const ACK = /^(?:(?:ok(?:ay)?|k|thanks?|thank you|thx|ty|great|perfect|sounds good|got it|cool|awesome|see you(?: then| soon)?|merci(?: beaucoup)?|parfait|d'accord|super|a bientot|bonne journee|have a (?:good|great|nice) (?:day|one))[\s!.,]*)+(?:\p{Extended_Pictographic}|\s)*$/u;

/**
 * True when a message only acknowledges ("Thanks!", "ok 👍", "Merci beaucoup"): nothing to answer,
 * nothing to hand to the owner, not "unanswered".
 */
export function isAcknowledgement(text: string): boolean {
  const norm = normaliseForIntent(text);
  return norm.length > 0 && (ACK.test(norm) || /^(?:\p{Extended_Pictographic}|\s|\p{Emoji_Component})+$/u.test(norm));
}
