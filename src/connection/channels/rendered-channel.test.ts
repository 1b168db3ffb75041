import { describe, expect, it } from 'vitest';
import { withRenderedBody } from './rendered-channel.js';
import type { Channel, OutboundMessage } from './channel.js';

describe('withRenderedBody', () => {
  it('counts SMS segments on the rendered text the provider got, not on the stored placeholder', async () => {
    const got: string[] = [];
    const inner: Channel = {
      name: 'fake',
      send: async (m) => (got.push(m.body), { providerRef: 'SM1', response: { body: m.body } }),
      findSent: async (m) => ({ providerRef: 'SM1', response: { body: m.body } }),
    };
    const secret = 'k'.repeat(60);
    const stored = `${'a'.repeat(140)} /a/[link]`; // 152 septets ([ and ] count 2): one segment as stored
    const ch = withRenderedBody(inner, (m) => ({ body: m.body.replace('[link]', secret), secrets: [secret] }));
    const msg: OutboundMessage = { outboxId: 'ob_1', tenantId: 'tn_1', to: '+14165550100', from: '+14165550111', body: stored };
    const sent = await ch.send(msg);
    expect(got[0]).toContain(secret);
    expect(sent.segments).toBe(2); // 204 septets rendered
    expect(JSON.stringify(sent.response)).not.toContain(secret);
    expect((await ch.findSent(msg, new Date()))?.segments).toBe(2);
  });
});
