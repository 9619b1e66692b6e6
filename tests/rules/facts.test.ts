import { describe, expect, it } from 'vitest';
import { TICKET_FACT_SCHEMA, compileCondition, ticketFacts, validateCondition, type Condition } from 'omotenashi';
import { configErrorOf, setup, ticketIn } from '../helpers.js';

describe('validating conditions against the facts they run on', () => {
  it('accepts conditions that fit the ticket facts', () => {
    expect(() =>
      validateCondition({
        all: [
          { fact: 'ticket.priority', op: 'in', value: ['high', 'urgent'] },
          { fact: 'ticket.tags', op: 'containsAny', value: ['vip', 'press'] },
          { fact: 'customer.flags', op: 'contains', value: 'vip' },
          { fact: 'ticket.counters.reopens', op: 'gte', value: 2 },
          { not: { fact: 'customer.kind', op: 'eq', value: 'internal' } },
          { fact: 'ticket.subject', op: 'matches', value: '[Rr]efund' },
        ],
      }),
    ).not.toThrow();
  });

  it.each<[Condition, string, RegExp]>([
    [{ fact: 'ticket.priorty', op: 'eq', value: 'high' }, 'condition.fact', /unknown fact "ticket.priorty"; did you mean "ticket.priority"\?/],
    [{ all: [{ fact: 'ticket.priority', op: 'eq', value: 'urgnt' }] }, 'condition.all[0].value', /"urgnt" is never a value of "ticket.priority"; it is one of low, normal, high, urgent/],
    [{ fact: 'ticket.priority', op: 'gt', value: 2 }, 'condition.op', /"gt" does not fit "ticket.priority", which holds strings/],
    [{ fact: 'ticket.tags', op: 'startsWith', value: 'v' }, 'condition.op', /holds arrays of strings/],
    [{ fact: 'ticket.counters.holds', op: 'eq', value: '2' }, 'condition.value', /"2" is not a number/],
    [{ any: [{ fact: 'ticket.channel', op: 'in', value: ['email', 'fax'] }] }, 'condition.any[0].value[1]', /"fax" is never a value of "ticket.channel"/],
    [{ fact: 'customer.tier', op: 'in', value: 'gold' }, 'condition.value', /needs an array value/],
  ])('%j is refused at %s', (condition, path, message) => {
    const error = configErrorOf(() => validateCondition(condition));
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
  });

  it('takes user facts such as custom fields', () => {
    const schema = { ...TICKET_FACT_SCHEMA, 'ticket.customFields.plan': { type: 'string', values: ['basic', 'pro'] } } as const;
    expect(() => validateCondition({ fact: 'ticket.customFields.plan', op: 'eq', value: 'pro' }, schema)).not.toThrow();
    expect(() => validateCondition({ fact: 'ticket.customFields.plan', op: 'eq', value: 'gold' }, schema)).toThrow(/never a value/);
  });

  it('builds facts from a ticket and its requester: active flag kinds, age, lifetime value', async () => {
    const s = await setup();
    await s.desk.flagCustomer(s.external.id, { kind: 'vip', reason: 'Key account' });
    const customer = await s.desk.updateCustomer(s.external.id, { lifetimeValue: { amountMinor: 1_250_000, currency: 'JPY' } });
    const t = await ticketIn(s, 'open');
    await s.clock.advance('PT2H');
    const facts = ticketFacts(t, customer, s.clock.date());
    expect(facts.ticket.ageMs).toBe(2 * 3600_000);
    expect(facts.customer.flags).toEqual(['vip']);
    expect(facts.customer.lifetimeValueMinor).toBe(1_250_000);
    const rule = compileCondition({ all: [{ fact: 'customer.flags', op: 'contains', value: 'vip' }, { fact: 'ticket.ageMs', op: 'gte', value: 3600_000 }, { fact: 'customer.lifetimeValueMinor', op: 'gt', value: 1_000_000 }] });
    expect(rule(facts)).toBe(true);
  });
});
