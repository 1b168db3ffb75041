/**
 * Small word lists (English and French) for replies to a slot offer. No dates here: dates and times
 * are read by chrono-node. Words are compared lower-cased and without accents.
 */

/** Whole phrases meaning "none of the offered times". */
export const NONE_PHRASES = [
  'none', 'none of those', 'none of them', 'neither', 'no', 'nope', 'not those', "those don't work", 'those dont work',
  "doesn't work", 'doesnt work', 'other times', 'another time', 'something else', 'different time',
  'aucun', 'aucune', 'non', 'aucun ne', 'aucune ne', 'autre chose', 'un autre moment', 'autres', 'pas possible', 'ca ne marche pas', 'ca ne va pas',
];

/** Words meaning "cancel the appointment". */
export const CANCEL_WORDS = ['cancel', 'cancelled', 'canceled', 'cancellation', 'annuler', 'annule', 'annulez', 'annulation'];

/** Words meaning "move the appointment" (without a new time given). */
export const RESCHEDULE_WORDS = ['reschedule', 'rebook', 'postpone', 'move', 'change', 'deplacer', 'deplacez', 'reporter', 'reportez', 'changer', 'changez', 'decaler'];

/** Ordinal words → position (1-based). Digits are read separately. */
export const ORDINALS: Readonly<Record<string, number>> = {
  first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5, last: -1,
  premier: 1, premiere: 1, '1er': 1, '1re': 1, deuxieme: 2, seconde: 2, '2e': 2, '2eme': 2, troisieme: 3, '3e': 3, '3eme': 3, quatrieme: 4, dernier: -1, derniere: -1,
};

/** Number words that stand for a position when the reply is only that ("two"). */
export const NUMBER_WORDS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5 };

/** Words that accept the only offered slot ("yes", "ok"). */
export const YES_WORDS = ['yes', 'yeah', 'yep', 'ok', 'okay', 'sure', 'perfect', 'great', 'works', 'oui', 'parfait', 'daccord', "d'accord", 'entendu'];

/** Markers of a window: "after 3" / "before noon". Replaced by "at" / "à" before chrono reads the time. */
export const AFTER_WORDS = ['after', 'anytime after', 'from', 'apres', 'a partir de'];
export const BEFORE_WORDS = ['before', 'until', 'avant', "jusqu'a", 'jusqua'];

/** Parts of a day, local `[fromHour, toHour)`. */
export const DAY_PARTS: ReadonlyArray<{ words: string[]; from: number; to: number }> = [
  { words: ['morning', 'matin', 'matinee'], from: 0, to: 12 },
  { words: ['afternoon', 'apres-midi', 'aprem'], from: 12, to: 17 },
  { words: ['evening', 'tonight', 'soir', 'soiree'], from: 17, to: 24 },
];

/** Words that make a reply about a week (a 7-day window from the day chrono reads). */
export const WEEK_WORDS = ['week', 'semaine'];

/** Lower-case, accents removed, curly quotes made plain, spaces collapsed. */
export function plainWords(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The word tokens of plain text (letters, digits, apostrophes, hyphens). */
export function tokens(plain: string): string[] {
  return plain.split(/[^a-z0-9'\-#°]+/).filter(Boolean);
}

/** Whether `plain` contains `phrase` as whole words. */
export function hasPhrase(plain: string, phrase: string): boolean {
  const p = ` ${plain.replace(/[^a-z0-9'\- ]+/g, ' ').replace(/\s+/g, ' ').trim()} `;
  return p.includes(` ${phrase} `);
}
