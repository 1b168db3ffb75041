import type { Harness } from './harness.js';
import { appendMessage } from '../../src/records/conversations.js';

/**
 * Gives each number a conversation with the business (an SMS it sent us earlier), so that a text
 * an assistant proposes to it is inside a conversation: without one, policy rule
 * `outside_conversation` sends every proposer-chosen recipient to the owner.
 */
export async function wroteToUs(h: Harness, slug: string, phones: string[], body = 'Hi, thanks for the visit last month.'): Promise<void> {
  const tenantId = h.aios.tenants.bySlugOrThrow(slug).id;
  for (const address of phones) {
    await appendMessage(h.aios.db, { tenantId, channel: 'sms', address, direction: 'inbound', body, externalId: `test:wrote:${address}`, runId: null, at: new Date(Date.now() - 86_400_000) });
  }
}
