import { describe, expect, it } from 'vitest';
import { defineKnowledgeBase, defineSlaConfig, createMemoryStorage, createServiceDesk, recomputeMetrics, type StoragePort } from 'omotenashi';
import { createManualClock, overrideStorage } from 'omotenashi/testing';

const weekday: Array<[string, string]> = [['09:00', '18:00']];
const sla = { calendars: { office: { timeZone: 'Asia/Tokyo', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } } }, policies: [{ id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H' }, calendar: 'office' } } }] };

describe('long reads take an AbortSignal', () => {
  it('whatIfSla, recurringProblems and recomputeMetrics stop at the next page once aborted', async () => {
    const base = createMemoryStorage();
    const controller = new AbortController();
    let pages = 0;
    // Abort while the first page is being read: the reads must stop before a second page.
    const storage: StoragePort = overrideStorage(base, {
      list: async (kind, query) => {
        // Ticket pages only: commands list teams too (their calendars).
        if (kind === 'ticket') pages++;
        if (pages === 1) controller.abort(new Error('the user went away'));
        return base.list(kind, query);
      },
    });
    const desk = createServiceDesk({ knowledge: defineKnowledgeBase(), storage, clock: createManualClock('2026-04-06T01:00:00Z'), sla: defineSlaConfig(sla) });
    const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Sato' });
    for (let i = 0; i < 3; i++) await desk.openTicket({ requesterId: customer.id, subject: `Router ${i}`, channel: 'email' });
    pages = 0;
    await expect(desk.whatIfSla(sla, { limit: undefined } as never, { signal: controller.signal })).rejects.toThrow('the user went away');
    expect(pages).toBe(1);
    const done = AbortSignal.abort(new Error('already gone'));
    await expect(desk.recurringProblems({ signal: done })).rejects.toThrow('already gone');
    await expect(recomputeMetrics(base, { signal: done })).rejects.toThrow('already gone');
    await expect(desk.whatIfSla(sla, {}, { signal: 'soon' as never })).rejects.toThrow(/whatIfSla options/);
    await expect(desk.recurringProblems({ signal: new AbortController().signal })).resolves.toBeDefined();
  });
});
