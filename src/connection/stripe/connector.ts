import { z } from 'zod';
import type { Connector } from '../framework/connector.js';
import { ConnectorError } from '../framework/connector-error.js';
import { verifyStripeSignature } from './signature.js';
import { stripeEventSchema } from './process-event.js';
import type { StripeCredentials } from './webhook-routes.js';

/**
 * The `stripe` connector: webhook-only (no polling, no actions). Its credentials are the
 * endpoint's signing secret; the webhook URL is `/hooks/stripe/<connection id>`.
 */
export const stripeConnector: Connector<StripeCredentials> = {
  kind: 'stripe',
  title: 'Stripe',
  credentials: z.object({ webhookSecret: z.string().regex(/^whsec_\S+$/, 'must be the endpoint signing secret, starting with whsec_') }),
  validate: async () => {
    // A signing secret cannot be checked against Stripe until the first delivery arrives.
  },
  webhooks: [
    {
      id: 'events',
      verify: (ctx, req) => {
        verifyStripeSignature(req.headers['stripe-signature'], req.rawBody, ctx.credentials.webhookSecret, { now: ctx.now });
      },
      parse: async (_ctx, rawBody) => {
        let json: unknown;
        try {
          json = JSON.parse(rawBody);
        } catch (err) {
          return { items: [], quarantined: [{ externalId: 'malformed', reason: `malformed JSON: ${(err as Error).message}`, sample: rawBody.slice(0, 200) }] };
        }
        const r = stripeEventSchema.safeParse(json);
        if (!r.success) throw new ConnectorError('protocol', `not a Stripe event: ${r.error.issues[0]?.message ?? 'invalid'}`);
        const e = r.data;
        return { items: [{ externalId: e.id, type: `stripe.${e.type}`, occurredAt: new Date(e.created * 1000), payload: json as Record<string, unknown> }] };
      },
    },
  ],
};
