import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from 'omotenashi';
import { holidaysFrom } from '../../examples/holidays/date-holidays.js';

const weekday: Array<[string, string]> = [['09:00', '18:00']];

describe('recipe: holidays from date-holidays', () => {
  it("closes a Tokyo calendar on Japan's public holidays, substitute holidays included", () => {
    const japan = holidaysFrom('JP', [2026, 2027]);
    const tokyo = createBusinessCalendar({ timeZone: 'Asia/Tokyo', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday }, holidays: [japan] });
    // 2026-05-06 is a substitute holiday (振替休日) for Constitution Day on a Sunday; 05-07 is a working Thursday.
    expect(tokyo.isOpen(new Date('2026-05-06T01:00:00Z'))).toBe(false);
    expect(tokyo.isOpen(new Date('2026-05-07T01:00:00Z'))).toBe(true);
    expect(tokyo.isOpen(new Date('2027-01-01T01:00:00Z'))).toBe(false);
    expect(tokyo.segments(new Date('2026-05-05T15:00:00Z'), new Date('2026-05-06T15:00:00Z'))[0]).toMatchObject({ kind: 'holiday' });
    expect(japan.holidays.length).toBeGreaterThan(30);
  });

  it('is the recipe docs/calendars.md shows', () => {
    const doc = readFileSync(new URL('../../docs/calendars.md', import.meta.url), 'utf8');
    const block = /<!-- recipe: examples\/holidays\/date-holidays.ts -->\s*```ts\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBe(readFileSync(new URL('../../examples/holidays/date-holidays.ts', import.meta.url), 'utf8'));
  });
});
