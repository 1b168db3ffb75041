import { describe, it, expect } from 'vitest';
import { classifyAnswerType, hasAnswerType } from './answer-type.js';
import { answerRequirement, mentionsEntity, questionEntity } from './answer-check.js';

describe('classifyAnswerType: what a question asks for (EN and FR)', () => {
  it.each([
    ['How much is the fall drain special?', 'price'],
    ["What's the fee if I cancel at the last minute?", 'price'],
    ['Combien coûte le débouchage d’un évier ?', 'price'],
    ['Is there a travel fee to Mississauga?', 'fee'],
    ['What are your opening hours?', 'hours'],
    ['What time do you close on weekdays?', 'hours'],
    ["Quelles sont vos heures d'ouverture ?", 'hours'],
    ['What is your address?', 'address'],
    ['Quelle est votre adresse ?', 'address'],
    ['What is your emergency phone number?', 'phone'],
    ["Quel est votre numéro d'urgence ?", 'phone'],
    ['What is your email address?', 'email'],
    ['How long does a water heater replacement take?', 'duration'],
    ['Can you fix my hot tub heater?', 'service'],
    ['Installez-vous des panneaux solaires ?', 'service'],
    ['What should I do if a pipe bursts?', 'other'],
  ])('%s → %s', (q, type) => {
    expect(classifyAnswerType(q)).toBe(type);
  });
});

describe('hasAnswerType: the answer carries the asked-for kind of value', () => {
  it('a price needs a money amount: phone numbers, percentages and "free" are not prices', () => {
    expect(hasAnswerType('A furnace tune-up is $119 instead of $149.', 'price')).toBe(true);
    expect(hasAnswerType('Le débouchage coûte 149 $ par drain.', 'price')).toBe(true);
    expect(hasAnswerType('Call +1 416-555-0140.', 'price')).toBe(false);
    expect(hasAnswerType('All prices are before 13% HST.', 'price')).toBe(false);
    expect(hasAnswerType('Estimates are free.', 'price')).toBe(false);
    expect(hasAnswerType('Estimates are free.', 'fee')).toBe(true);
  });
  it('an address needs a street address or postal code; a phone list is not one', () => {
    expect(hasAnswerType('- Phone (office): +1 416-555-0140 - Email: hello@mapleplumbing.example', 'address')).toBe(false);
    expect(hasAnswerType('Visit us at 120 Queen Street East, Toronto.', 'address')).toBe(true);
    expect(hasAnswerType('Notre bureau : 55, rue Saint-Denis.', 'address')).toBe(true);
    expect(hasAnswerType('Toronto ON M5V 2T6', 'address')).toBe(true);
  });
  it('hours need a clock time or "closed"; a weekday alone is not an hour', () => {
    expect(hasAnswerType('Repairs booked before noon on a weekday are usually done the same day.', 'hours')).toBe(false);
    expect(hasAnswerType('We are open Monday to Friday from 8:00 am to 6:00 pm.', 'hours')).toBe(true);
    expect(hasAnswerType('du lundi au vendredi de 8 h à 18 h', 'hours')).toBe(true);
    expect(hasAnswerType('We are closed on Sundays.', 'hours')).toBe(true);
  });
  it('phone, email and duration', () => {
    expect(hasAnswerType('Call the emergency line at +1 416-555-0142.', 'phone')).toBe(true);
    expect(hasAnswerType('We charge $150 per visit.', 'phone')).toBe(false);
    expect(hasAnswerType('Write to hello@mapleplumbing.example.', 'email')).toBe(true);
    expect(hasAnswerType('It takes 3 to 4 hours.', 'duration')).toBe(true);
    expect(hasAnswerType('It costs $149.', 'duration')).toBe(false);
  });
});

describe('the key entity must be the thing asked about', () => {
  it('drops stop words and generic words; keeps compounds as runs and lexicon words alone', () => {
    expect(questionEntity('Can you fix my hot tub heater?')).toEqual([['hot', 'tub', 'heater']]);
    expect(questionEntity('How much is the fall drain special?')).toEqual([['fall', 'drain'], ['special']]);
    expect(questionEntity('What is your address?')).toEqual([]);
  });
  it('"hot tub heater" is not satisfied by a water heater, nor by "tubs" and "hot-water" apart', () => {
    const e = questionEntity('Can you fix my hot tub heater?');
    expect(mentionsEntity('My water heater is leaking. Turn off the hot water tank.', e)).toBe(false);
    expect(mentionsEntity('Clogged sinks, tubs and showers; hot-water boiler service; tank water heaters.', e)).toBe(false);
    expect(mentionsEntity('We repair hot tub heaters and spa pumps.', e)).toBe(true);
  });
  it('matches plurals, verb forms and word order inside a compound', () => {
    expect(mentionsEntity('Frozen pipe thawing is $219 for the first hour.', questionEntity('How much to thaw a frozen pipe?'))).toBe(true);
    expect(mentionsEntity('When you supply a toilet you bought, labour is warranted 90 days.', questionEntity('Can you install a toilet I bought myself?'))).toBe(true);
    expect(mentionsEntity('Do you install electric water heaters?', questionEntity('Do you do electrical work?'))).toBe(false);
  });
  it('the fall drain special needs fall and drain together, not a fall furnace tune-up next to a drain price', () => {
    const r = answerRequirement('How much is the fall drain special?');
    expect(r.type).toBe('price');
    expect(mentionsEntity('Service your furnace in the fall. Winter special: tune-up $119. Drain cleaning $149.', r.entity)).toBe(false);
    expect(mentionsEntity('Fall drain special: $99 for any drain.', r.entity)).toBe(true);
  });
});
