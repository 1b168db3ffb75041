import { describe, it, expect } from 'vitest';
import { classifyMessageIntent, isAcknowledgement, type MessageIntent } from './message-intent.js';

const CASES: Record<MessageIntent, string[]> = {
  emergency: [
    'my basement is flooding',
    'Basement FLOODED please help!!',
    'A pipe burst in the kitchen',
    'burst pipe under the sink, water everywhere',
    'I smell gas in the furnace room',
    'there are sparks coming from the panel',
    'Sewage is coming up through the floor drain',
    'our toilet is overflowing and won’t stop',
    'No heat and it is -20 outside',
    'This is an emergency, can you come now?',
    'URGENT: water heater leaking everywhere',
    'Mon sous-sol est inondé',
    'Il y a une fuite de gaz chez nous',
    'ça sent le gaz dans la cuisine',
    'Tuyau éclaté dans la salle de bain',
    'Urgence! Plus de chauffage depuis hier',
  ],
  complaint: [
    "I'm not happy with the work you did",
    'Very disappointed, the tap is still leaking',
    'You overcharged me for a 20 minute job',
    'Your tech was rude to my wife',
    'The technician never showed up yesterday',
    "You didn't fix the problem and I want a refund",
    'Worst service ever',
    'That was a waste of money',
    'Your guy damaged my floor',
    'Je ne suis pas satisfait du travail',
    'Très déçue, le robinet fuit encore et toujours une fuite',
    'Je veux être remboursé',
    "C'est inacceptable, le technicien n'est jamais venu",
  ],
  cancel: [
    'Please cancel my appointment',
    'I need to cancel tomorrow',
    "We don't need the appointment anymore, thanks",
    'Cancelling Friday, sorry',
    'Je dois annuler mon rendez-vous',
    "Annulez svp, je n'en ai plus besoin",
  ],
  reschedule: [
    'Can we reschedule to next week?',
    'Could I move my appointment to Friday?',
    "I can't make it on Thursday, another day?",
    'Can we push it back an hour?',
    'I need to cancel and reschedule',
    'Is there a different time that works?',
    'Est-ce possible de reporter à lundi?',
    'Je voudrais déplacer mon rendez-vous',
    'On peut décaler à 14h?',
  ],
  book: [
    'can you come tomorrow?',
    'Can you come out Friday to look at my furnace?',
    "I'd like to book a visit",
    'When can you send someone?',
    'Do you have availability this week?',
    'I need a quote for a new water heater',
    'Could someone stop by next Tuesday',
    'Je voudrais prendre rendez-vous',
    'Pouvez-vous venir demain matin?',
    'Êtes-vous disponibles jeudi?',
    "J'aimerais une soumission pour une thermopompe",
  ],
  question: [
    'do you fix water heaters?',
    'How much is a drain cleaning?',
    'What are your hours?',
    'Are you open on Sunday?',
    'Do you service Mississauga',
    'Is the first visit free?',
    'what does a furnace tune-up cost',
    'Combien coûte un débouchage?',
    'Faites-vous les chauffe-eau?',
    'Quel est votre tarif horaire?',
    'Est-ce que vous travaillez à Laval?',
  ],
  other: ['Thanks!', 'ok', 'Merci beaucoup', 'See you then 👍', 'Great job yesterday, thank you'],
};

describe('classifyMessageIntent (offline, EN + FR)', () => {
  for (const [intent, texts] of Object.entries(CASES) as Array<[MessageIntent, string[]]>) {
    for (const text of texts) {
      it(`${intent}: ${JSON.stringify(text)}`, () => {
        expect(classifyMessageIntent(text).intent).toBe(intent);
      });
    }
  }

  it('an emergency wins over a booking request in the same message', () => {
    expect(classifyMessageIntent('Basement is flooding, when can you come?').intent).toBe('emergency');
  });

  it('"not urgent" is not an emergency', () => {
    expect(classifyMessageIntent('Not urgent, but can you come next week?').intent).toBe('book');
    expect(classifyMessageIntent("Ce n'est pas urgent, avez-vous de la disponibilité?").intent).toBe('book');
  });

  it('is deterministic and names the phrase that decided', () => {
    const a = classifyMessageIntent('My basement is flooding');
    expect(a).toEqual(classifyMessageIntent('My basement is flooding'));
    expect(a.cue).toBe('flooding');
  });
});

describe('isAcknowledgement', () => {
  it.each(['Thanks!', 'ok', 'OK thank you', 'Merci beaucoup', 'See you then 👍', '👍', 'sounds good, thanks'])('%s is an acknowledgement', (t) => {
    expect(isAcknowledgement(t)).toBe(true);
  });
  it.each(['Thanks, but the tap still drips', 'ok can you come Friday?', 'do you fix water heaters?', 'my basement is flooding'])('%s is not', (t) => {
    expect(isAcknowledgement(t)).toBe(false);
  });
});
