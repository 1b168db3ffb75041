import { describe, it, expect } from 'vitest';
import { routeInbound } from './inbound-router.js';

const stranger = { known: false, waitingForOwner: false, acknowledgement: false };
const customer = { known: true, waitingForOwner: false, acknowledgement: false };

describe('routeInbound', () => {
  it('an emergency or a complaint goes to the owner, whoever sends it', () => {
    expect(routeInbound('emergency', stranger)).toMatchObject({ to: 'owner', emergency: true });
    expect(routeInbound('emergency', { ...customer, acknowledgement: true })).toMatchObject({ to: 'owner', emergency: true });
    expect(routeInbound('complaint', customer)).toMatchObject({ to: 'owner', emergency: false, reason: 'complaint' });
  });
  it('a stranger asking anything becomes a lead; a customer\'s question is answered', () => {
    expect(routeInbound('question', stranger)).toEqual({ to: 'new_lead' });
    expect(routeInbound('other', stranger)).toEqual({ to: 'new_lead' });
    expect(routeInbound('book', customer)).toEqual({ to: 'new_lead' });
    expect(routeInbound('question', customer)).toEqual({ to: 'answer' });
    expect(routeInbound('other', customer)).toMatchObject({ to: 'owner' });
  });
  it('cancel / reschedule go to the booking; the owner keeps a conversation handed to them', () => {
    expect(routeInbound('cancel', customer)).toEqual({ to: 'booking' });
    expect(routeInbound('reschedule', stranger)).toEqual({ to: 'booking' });
    expect(routeInbound('question', { ...customer, waitingForOwner: true })).toMatchObject({ to: 'owner' });
    expect(routeInbound('other', { ...customer, acknowledgement: true })).toMatchObject({ to: 'nothing' });
  });
});
