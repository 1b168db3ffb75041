import type { SlotOffer } from './booking-api.js';

/**
 * The customer-facing texts of a booking, in the business's language (French for `fr*` locales,
 * English otherwise). Times are labels from `slotLabel` (the business's zone and locale).
 */
export interface BookingTexts {
  confirmed(service: string, when: string, business: string): string;
  pending(service: string, when: string): string;
  reminder(service: string, when: string, business: string): string;
  cancelled(service: string, when: string): string;
  offer(offer: SlotOffer, intro: string): string;
  slotTaken: string;
  rescheduleIntro: string;
  clarify: string;
  kept(when: string): string;
  moved(service: string, when: string): string;
  noTimes: string;
  emailSubject(service: string, when: string, business: string): string;
  notConfirmed(service: string, when: string): string;
}

/** `s` ending with one full stop (labels like "10:00 a.m." already have one). */
function stop(s: string): string {
  return s.endsWith('.') ? s : `${s}.`;
}

const EN: BookingTexts = {
  confirmed: (s, w, b) => `Confirmed: ${s} on ${w} with ${stop(b)} Reply RESCHEDULE to change the time or CANCEL to cancel.`,
  pending: (s, w) => `Thanks! Your ${s} on ${w} is pending: we are putting it on our calendar and will text you once it is confirmed.`,
  reminder: (s, w, b) => `Reminder: ${s} with ${b} on ${stop(w)} Reply RESCHEDULE or CANCEL if that no longer works.`,
  cancelled: (s, w) => `Your ${s} on ${w} is cancelled. Text us any time to book again.`,
  offer: (o, intro) => `${intro} ${o.slots.map((s) => `${s.n}) ${s.label}`).join(', ')}. Reply with the number.`,
  slotTaken: 'Sorry, that time was just taken.',
  rescheduleIntro: 'Sure, we can move it. Open times:',
  clarify: 'Sorry, which time did you mean? Reply with the number of one of the times.',
  kept: (w) => `No problem, we keep your time on ${stop(w)}`,
  moved: (s, w) => `Done: your ${s} is now on ${stop(w)}`,
  noTimes: 'Sorry, we have no open times right now; the owner will get back to you.',
  emailSubject: (s, w, b) => `${s} with ${b}: ${w}`,
  notConfirmed: (s, w) => `Sorry, we could not confirm your ${s} on ${w}; it is not booked. The owner will get back to you.`,
};

const FR: BookingTexts = {
  confirmed: (s, w, b) => `Confirmé : ${s} le ${w} avec ${stop(b)} Répondez DÉPLACER pour changer l'heure ou ANNULER pour annuler.`,
  pending: (s, w) => `Merci ! Votre ${s} du ${w} est en attente : nous l'inscrivons à notre calendrier et vous écrirons dès qu'il sera confirmé.`,
  reminder: (s, w, b) => `Rappel : ${s} avec ${b} le ${stop(w)} Répondez DÉPLACER ou ANNULER si ce n'est plus possible.`,
  cancelled: (s, w) => `Votre ${s} du ${w} est annulé. Écrivez-nous pour reprendre rendez-vous.`,
  offer: (o, intro) => `${intro} ${o.slots.map((s) => `${s.n}) ${s.label}`).join(', ')}. Répondez avec le numéro.`,
  slotTaken: 'Désolé, ce créneau vient d’être pris.',
  rescheduleIntro: 'Bien sûr. Créneaux libres :',
  clarify: 'Désolé, quel créneau vouliez-vous ? Répondez avec le numéro.',
  kept: (w) => `Pas de souci, nous gardons votre rendez-vous du ${stop(w)}`,
  moved: (s, w) => `C'est fait : votre ${s} est maintenant le ${stop(w)}`,
  noTimes: "Désolé, aucun créneau libre pour l'instant ; le responsable vous recontactera.",
  emailSubject: (s, w, b) => `${s} avec ${b} : ${w}`,
  notConfirmed: (s, w) => `Désolé, nous n'avons pas pu confirmer votre ${s} du ${w} ; il n'est pas réservé. Le responsable vous recontactera.`,
};

/** The texts for a locale. */
export function bookingTexts(locale: string): BookingTexts {
  return locale.toLowerCase().startsWith('fr') ? FR : EN;
}
