import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, createManualClock, createSystemClock } from 'omotenashi';

describe('manual clock', () => {
  it('starts where told and moves only when told', async () => {
    const clock = createManualClock('2026-04-01T09:00:00+09:00');
    expect(clock.date().toISOString()).toBe('2026-04-01T00:00:00.000Z');
    await clock.advance('PT90M');
    expect(clock.now()).toBe(Date.UTC(2026, 3, 1, 1, 30));
    await clock.set(new Date('2026-04-02T00:00:00Z'));
    expect(clock.now()).toBe(Date.UTC(2026, 3, 2));
    await expect(clock.set(0)).rejects.toBeInstanceOf(ConfigError);
    expect(() => createManualClock('yesterday')).toThrow(ConfigError);
  });

  it('fires alarms in time order, each seeing its own due time, whatever the order they were set in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 40 }), fc.integer({ min: 0, max: 12_000 }), async (offsets, advance) => {
        const clock = createManualClock(0);
        const fired: Array<[number, number]> = [];
        offsets.forEach((at, i) => clock.setAlarm(at, () => void fired.push([at, i])));
        await clock.advance(advance);
        const expected = offsets
          .map((at, i) => [at, i] as [number, number])
          .filter(([at]) => at <= advance)
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(fired).toEqual(expected);
        expect(clock.pendingAlarms).toBe(offsets.length - expected.length);
      }),
    );
  });

  it('a cancelled alarm never fires; alarms set by alarms fire in the same advance', async () => {
    const clock = createManualClock(0);
    const fired: string[] = [];
    const cancel = clock.setAlarm(100, () => void fired.push('cancelled'));
    clock.setAlarm(200, () => {
      fired.push('first');
      clock.setAlarm(clock.now() + 50, () => void fired.push(`chained at ${clock.now()}`));
    });
    cancel();
    await clock.advance(1000);
    expect(fired).toEqual(['first', 'chained at 250']);
  });
});

describe('system clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('re-arms waits longer than setTimeout allows instead of firing at once', async () => {
    vi.useFakeTimers({ now: 0 });
    const clock = createSystemClock();
    const fired = vi.fn();
    const sixtyDays = 60 * 86_400_000;
    clock.setAlarm(sixtyDays, fired);
    await vi.advanceTimersByTimeAsync(30 * 86_400_000);
    expect(fired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(30 * 86_400_000 - 1);
    expect(fired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('cancels, and fires past alarms at once', async () => {
    vi.useFakeTimers({ now: 1000 });
    const clock = createSystemClock();
    const a = vi.fn();
    const b = vi.fn();
    clock.setAlarm(5000, a)();
    clock.setAlarm(0, b);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledOnce();
    expect(clock.now()).toBe(11_000);
  });
});
