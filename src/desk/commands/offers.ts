import * as z from 'zod';
import { ConfigError, NotFoundError, ValidationError } from '../../errors.js';
import type { CustomerId } from '../../domain/common.js';
import type { OfferRuntime } from '../offers.js';
import { outcomeOf, type Kernel } from '../runtime.js';
import { OfferTargetSchema, parse } from '../schemas.js';
import { QUERY_SCHEMAS } from '../../domain/query.js';
import type { ServiceDesk } from '../service-desk.js';

const LimitSchema = z.number().int().min(1).max(50);
const AnswerSchema = z.enum(['accepted', 'rejected', 'ignored']);

/** Upsell, cross-sell and add-on offers on a desk. */
export function offerCommands(k: Kernel, offers: OfferRuntime | undefined): Pick<ServiceDesk, 'suggestOffers' | 'answerOffer' | 'listOffers' | 'offerStats'> {
  return {
    async suggestOffers(target, options) {
      if (offers === undefined) throw new ConfigError('catalog', 'this desk has no catalog to suggest from: pass createServiceDesk({ catalog: defineCatalog([...]) })');
      const runtime = offers;
      const actor = k.actorOf(options);
      const limit = options?.limit === undefined ? undefined : parse(LimitSchema, options.limit, 'suggestOffers option "limit"');
      parse(OfferTargetSchema, target, 'suggestOffers target');
      const ticketId = 'ticketId' in target ? target.ticketId : undefined;
      return k.run(async (read) => {
        const ticket = ticketId === undefined ? undefined : await read.load('ticket', ticketId);
        const customer = await read.load('customer', ticket?.requesterId ?? (target as { customerId: CustomerId }).customerId);
        const made = await runtime.offer({ customer, ticket }, k.now(), actor, { limit, record: options?.record !== false });
        return outcomeOf({ ...made.result, offers: options?.record === false ? [] : made.offers }, made.addition);
      }, true);
    },
    async answerOffer(offerId, answer, options) {
      if (offers === undefined) throw new ConfigError('catalog', 'this desk has no catalog, hence no offers');
      const runtime = offers;
      const actor = k.actorOf(options);
      const status = parse(AnswerSchema, answer, 'answerOffer answer');
      const record = await k.run(async (read) => {
        const found = await read.get('offer', offerId);
        if (found === null) throw new NotFoundError('offer', offerId, 'offer ids are "ofr:<customer>:<sku>:<time>", as suggestOffers returned them');
        if (found.status === status) return outcomeOf(found);
        if (found.status !== 'offered') throw new ValidationError('answerOffer', [{ path: ['answer'], message: `offer "${offerId}" was already ${found.status}`, code: 'custom' }]);
        const done = runtime.answer(found, status, k.now(), actor);
        return outcomeOf(done.record, done.addition);
      }, true);
      return record;
    },
    async listOffers(query = {}) {
      parse(QUERY_SCHEMAS.offer, query, 'listOffers query');
      return k.storage.list('offer', query);
    },
    async offerStats() {
      if (offers === undefined) return [];
      const stats = await offers.stats(k.clock.now());
      return [...stats]
        .map(([key, s]) => {
          const i = key.indexOf(':');
          return { kind: key.slice(0, i), sku: key.slice(i + 1), answered: s.answered, accepted: s.accepted, rate: s.answered === 0 ? 0 : s.accepted / s.answered };
        })
        .sort((a, b) => b.rate - a.rate || b.answered - a.answered || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    },
  };
}
