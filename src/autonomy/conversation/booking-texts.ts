import type { OfferedSlot } from '../booking/booking-api.js';

/** Languages the booking conversation writes in. */
export type ConversationLanguage = 'en' | 'fr';

/** Every sentence the booking conversation sends, in English and French (no links, no numbers but the slots'). */
interface Texts {
  greeting(business: string, firstName: string | null): string;
  ownerFollowsUp: string;
  offer(slots: OfferedSlot[]): string;
  noSlots: string;
  taken: string;
  nothingThen: string;
  otherTimes: string;
  clarify(slots: OfferedSlot[]): string;
  handedToOwner: string;
  closed: string;
}

const lines = (slots: OfferedSlot[]): string => slots.map((s) => `${s.n}) ${s.label}`).join('\n');

const EN: Texts = {
  greeting: (business, first) => `Hi${first ? ` ${first}` : ''}, thanks for contacting ${business}.`,
  ownerFollowsUp: "I've passed your question to the owner, who will follow up.",
  offer: (slots) => `We can come:\n${lines(slots)}\nReply 1, 2 or 3, or tell us a time that suits you.`,
  noSlots: 'We have no free time to offer right now; the owner will contact you to find one.',
  taken: 'Sorry, that time was just taken.',
  nothingThen: "Sorry, we have nothing free then.",
  otherTimes: 'No problem, here are other times.',
  clarify: (slots) => `Sorry, I didn't catch that. Reply ${slots.length > 1 ? slots.map((s) => s.n).join(', ') : 'with the number of a time'}, or a day and time such as "Thursday at 10am".`,
  handedToOwner: "Sorry for the trouble. I've asked the owner to contact you directly.",
  closed: 'No problem, thanks for letting us know. Reach out any time.',
};

const FR: Texts = {
  greeting: (business, first) => `Bonjour${first ? ` ${first}` : ''}, merci d'avoir contacté ${business}.`,
  ownerFollowsUp: "J'ai transmis votre question au responsable, qui vous recontactera.",
  offer: (slots) => `Nous pouvons venir :\n${lines(slots)}\nRépondez 1, 2 ou 3, ou proposez-nous un moment qui vous convient.`,
  noSlots: "Nous n'avons pas de créneau libre pour le moment ; le responsable vous contactera pour en trouver un.",
  taken: 'Désolé, ce créneau vient d\'être pris.',
  nothingThen: "Désolé, nous n'avons rien de libre à ce moment-là.",
  otherTimes: "Pas de problème, voici d'autres créneaux.",
  clarify: (slots) => `Désolé, je n'ai pas bien compris. Répondez ${slots.length > 1 ? slots.map((s) => s.n).join(', ') : 'avec le numéro d\'un créneau'}, ou un jour et une heure, par exemple « jeudi à 10 h ».`,
  handedToOwner: "Désolé pour le dérangement. J'ai demandé au responsable de vous contacter directement.",
  closed: "Pas de problème, merci de nous avoir prévenus. N'hésitez pas à nous recontacter.",
};

/** The sentences of one language. */
export function texts(lang: ConversationLanguage): Texts {
  return lang === 'fr' ? FR : EN;
}

/** A text of several parts, blank parts dropped, one part per line. */
export function joinParts(...parts: Array<string | null | undefined | false>): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join('\n');
}
