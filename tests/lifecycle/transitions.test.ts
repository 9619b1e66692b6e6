import { describe, expect, it } from 'vitest';
import { InvalidTransitionError, TICKET_STATUSES, allowedTransitions, assertTransition, canTransition, type TicketStatus } from 'omotenashi';

// The lifecycle written out by hand, independent of the implementation's table.
const EXPECTED: Record<TicketStatus, TicketStatus[]> = {
  new: ['open', 'pending_customer', 'on_hold', 'resolved', 'closed'],
  open: ['pending_customer', 'on_hold', 'resolved', 'closed'],
  pending_customer: ['open', 'on_hold', 'resolved', 'closed'],
  on_hold: ['open', 'pending_customer', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

describe('ticket lifecycle table', () => {
  for (const from of TICKET_STATUSES) {
    for (const to of TICKET_STATUSES) {
      const ok = EXPECTED[from].includes(to);
      it(`${from} → ${to} is ${ok ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(ok);
        const attempt = () => assertTransition({ id: 'tkt_1' as never, status: from }, to);
        if (ok) expect(attempt).not.toThrow();
        else {
          expect(attempt).toThrow(InvalidTransitionError);
          try {
            attempt();
          } catch (e) {
            const err = e as InvalidTransitionError;
            expect(err.code).toBe('INVALID_TRANSITION');
            expect(err.from).toBe(from);
            expect(err.to).toBe(to);
            expect(err.allowed).toEqual(allowedTransitions(from));
            expect(err.message).toContain(`from ${from} to ${to}`);
          }
        }
      });
    }
  }

  it('never lets a ticket skip the resolved state on the way from open to a customer-side closure', () => {
    expect(allowedTransitions('resolved')).toContain('closed');
    expect(allowedTransitions('closed')).toEqual(['open']);
  });
});
