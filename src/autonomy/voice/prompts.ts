/** What the offline receptionist says, in English and French. `{x}` are filled by {@link say}. */
export type Lang = 'en' | 'fr';

const EN = {
  greet: 'Thanks for calling {business}. I am the automated assistant. You can ask me a question or book a visit. How can I help?',
  again: "Sorry, I didn't catch that.",
  menu: 'Say book, or ask your question. Press 0 to reach a person.',
  anything: 'Is there anything else I can help with? You can also book a visit.',
  unknown: "I don't have that information, so I'll have the owner call you back about it.",
  askName: 'Sure. May I have your name?',
  askAddress: 'Thanks {name}. What is the address for the visit?',
  askCallback: 'Is the number you are calling from, ending in {last4}, the best one to reach you? Say yes, or key in another number.',
  askCallbackDigits: 'Please key in the best number to reach you, then press pound.',
  offer: 'I can offer {slots}. Which one works? You can press 1, 2 or 3.',
  noSlots: "I'm sorry, I have no free times in the next days. I'll have the owner call you back to find a time.",
  clarify: 'Sorry, which time would you like? Say the day and time, or press 1, 2 or 3.',
  taken: 'Sorry, that time was just taken.',
  held: 'I have {label} for you. Shall I book it? Say yes, or press 1.',
  booked: "Great. I'm booking {label} now, and you'll get a text to confirm it.",
  transfer: "I'm connecting you with {owner} now. Please hold.",
  noTransfer: 'Nobody can come to the phone right now.',
  askMessage: 'Please leave your message after the beep, with your name, and the owner will call you back.',
  messageTaken: "Thank you, I've passed your message on. Goodbye.",
  goodbye: 'Thanks for calling {business}. Goodbye.',
  cancel: "I'll pass your cancellation to the owner, who will confirm it by text.",
};

const FR: typeof EN = {
  greet: "Merci d'avoir appelé {business}. Je suis l'assistant automatique. Vous pouvez me poser une question ou prendre rendez-vous. Comment puis-je vous aider?",
  again: "Désolé, je n'ai pas bien compris.",
  menu: 'Dites rendez-vous, ou posez votre question. Faites le 0 pour parler à une personne.',
  anything: 'Puis-je vous aider avec autre chose? Vous pouvez aussi prendre rendez-vous.',
  unknown: "Je n'ai pas cette information; le propriétaire vous rappellera à ce sujet.",
  askName: 'Bien sûr. Quel est votre nom?',
  askAddress: "Merci {name}. Quelle est l'adresse de la visite?",
  askCallback: 'Le numéro dont vous appelez, qui finit par {last4}, est-il le meilleur pour vous joindre? Dites oui, ou composez un autre numéro.',
  askCallbackDigits: 'Composez le meilleur numéro pour vous joindre, puis le dièse.',
  offer: 'Je peux vous proposer {slots}. Lequel vous convient? Vous pouvez faire le 1, le 2 ou le 3.',
  noSlots: "Désolé, je n'ai pas de disponibilité dans les prochains jours. Le propriétaire vous rappellera pour trouver un moment.",
  clarify: 'Désolé, quel moment préférez-vous? Dites le jour et l’heure, ou faites le 1, le 2 ou le 3.',
  taken: 'Désolé, ce moment vient d’être pris.',
  held: 'Je vous réserve {label}. Je confirme? Dites oui, ou faites le 1.',
  booked: 'Parfait. Je réserve {label}, et vous recevrez un texto de confirmation.',
  transfer: 'Je vous mets en relation avec {owner}. Un instant.',
  noTransfer: 'Personne ne peut répondre pour le moment.',
  askMessage: 'Laissez votre message après le bip, avec votre nom, et le propriétaire vous rappellera.',
  messageTaken: "Merci, j'ai transmis votre message. Au revoir.",
  goodbye: "Merci d'avoir appelé {business}. Au revoir.",
  cancel: "Je transmets votre annulation au propriétaire, qui vous la confirmera par texto.",
};

export type PromptKey = keyof typeof EN;

/** The prompt `key` in `lang` with `{name}` placeholders filled from `vars`. */
export function say(lang: Lang, key: PromptKey, vars: Record<string, string> = {}): string {
  return (lang === 'fr' ? FR : EN)[key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}
