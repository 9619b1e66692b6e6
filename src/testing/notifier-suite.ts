import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../domain/common.js';
import type { Notification, NotifierPort } from '../ports/notifier.js';

/** The names of the notifier conformance tests, for `skip`. */
export const NOTIFIER_CONFORMANCE_TESTS = [
  'delivers a message and resolves with its external id',
  'one idempotency key: delivered once, or carried so the receiver can drop repeats',
  'does not change the notification it was given',
  'rejects when the far end fails, and delivers on a later try',
  'claims at least one channel and says whether it deduplicates',
] as const;

/** The name of one notifier conformance test. */
export type NotifierConformanceTest = (typeof NOTIFIER_CONFORMANCE_TESTS)[number];

/** One message as it arrived at the far end (a mailbox, an HTTP endpoint, a terminal). */
export interface DeliveredMessage {
  /** The address it arrived at. */
  readonly address: string;
  /** The idempotency key it carried, when the far end can see one. */
  readonly idempotencyKey?: string | undefined;
  /** Its text as received (a mail body, a request body, a printed line). */
  readonly text: string;
}

/** A window on the far end of a notifier, for the conformance tests. */
export interface NotifierProbe {
  /** Every message that arrived, in order. */
  delivered(): Promise<ReadonlyArray<DeliveredMessage>>;
  /** Make the far end fail the next delivery; without it the failure test is skipped. */
  readonly failNext?: () => void;
}

/** A notifier to test, the probe on its far end, and how to tear both down. */
export interface NotifierUnderTest {
  /** The notifier. */
  readonly notifier: NotifierPort;
  /** What reached its far end. */
  readonly probe: NotifierProbe;
  /** Called after the test (close the local server). */
  readonly destroy?: () => Promise<void>;
}

/** Options of {@link defineNotifierConformanceSuite}. */
export interface NotifierConformanceOptions {
  /** The suite's title (default `notifier conformance`). */
  readonly name?: string;
  /** A fresh notifier with a probe on what reaches its far end, for every test. */
  readonly create: () => Promise<NotifierUnderTest>;
  /** Tests this adapter opts out of, each with the reason. */
  readonly skip?: Partial<Record<NotifierConformanceTest, string>>;
}

const ADDRESSES: Readonly<Record<Channel, string>> = {
  email: 'hanako@example.jp',
  sms: '+81312345678',
  phone: '+81312345678',
  chat: 'hanako.tanaka',
  social: 'x:hanako_t',
  in_person: 'Shibuya counter',
  web_form: 'hanako@example.jp',
  postal: '1-2-3 Jingumae\n150-0001 Shibuya\nJP',
};

function sample(channel: Channel, key: string): Notification {
  return {
    to: { kind: 'customer', id: 'cus_conformance', name: '田中様', address: ADDRESSES[channel] },
    channel,
    template: 'order_shipped',
    data: { orderId: 'A-1001', items: ['Kettle'], recipientName: '田中様' },
    locale: 'ja',
    idempotencyKey: key,
    rendered: {
      locale: 'ja',
      subject: 'ご注文 A-1001 を発送しました',
      text: '田中様\n\nご注文 A-1001 を発送いたしました。',
      html: '<p>田中様</p>\n<p>ご注文 A-1001 を発送いたしました。</p>',
    },
  };
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};

/**
 * Define the conformance tests every notifier adapter must pass, in the calling vitest file.
 * The probe shows what reached the far end: a local SMTP server's mailbox, a local HTTP
 * receiver's log, the console's lines.
 *
 * @example
 * ```ts
 * defineNotifierConformanceSuite({
 *   create: async () => {
 *     const notifier = createRecordingNotifier();
 *     return { notifier, probe: { delivered: async () => notifier.sent.map((m) => ({ address: m.to.address, idempotencyKey: m.idempotencyKey, text: JSON.stringify(m.data) })), failNext: () => notifier.failNext(1) } };
 *   },
 * });
 * ```
 */
export function defineNotifierConformanceSuite(options: NotifierConformanceOptions): void {
  describe(options.name ?? 'notifier conformance', () => {
    let notifier: NotifierPort;
    let probe: NotifierProbe;
    let destroy: (() => Promise<void>) | undefined;
    let n = 0;
    beforeEach(async () => {
      ({ notifier, probe, destroy } = await options.create());
    });
    afterEach(async () => {
      await destroy?.();
    });
    const channel = (): Channel => notifier.capabilities.channels[0] as Channel;
    const key = (): string => `conformance-${++n}`;
    const test = (name: NotifierConformanceTest, fn: () => Promise<void>): void => {
      const reason = options.skip?.[name];
      if (reason !== undefined) it.skip(`${name} (skipped: ${reason})`, fn);
      else it(name, fn);
    };

    test('claims at least one channel and says whether it deduplicates', async () => {
      expect(notifier.name).toMatch(/\S/);
      expect(notifier.capabilities.channels.length).toBeGreaterThan(0);
      expect(typeof notifier.capabilities.deduplicates).toBe('boolean');
    });

    test('delivers a message and resolves with its external id', async () => {
      const message = sample(channel(), key());
      const { externalId } = await notifier.send(message);
      expect(typeof externalId).toBe('string');
      expect(externalId).not.toBe('');
      const arrived = await probe.delivered();
      expect(arrived).toHaveLength(1);
      expect(arrived[0]?.address).toBe(message.to.address);
      expect(arrived[0]?.text).toContain('A-1001');
    });

    test('one idempotency key: delivered once, or carried so the receiver can drop repeats', async () => {
      const message = sample(channel(), key());
      const first = await notifier.send(message);
      const second = await notifier.send(message);
      const arrived = await probe.delivered();
      if (notifier.capabilities.deduplicates) {
        expect(arrived).toHaveLength(1);
        expect(second.externalId).toBe(first.externalId);
      } else {
        expect(arrived.length).toBeGreaterThanOrEqual(1);
        for (const m of arrived) expect(m.idempotencyKey).toBe(message.idempotencyKey);
      }
    });

    test('does not change the notification it was given', async () => {
      const message = deepFreeze(sample(channel(), key()));
      const copy = structuredClone(message);
      await notifier.send(message);
      expect(message).toEqual(copy);
    });

    test('rejects when the far end fails, and delivers on a later try', async () => {
      if (probe.failNext === undefined) return;
      const message = sample(channel(), key());
      probe.failNext();
      await expect(notifier.send(message)).rejects.toBeInstanceOf(Error);
      expect(await probe.delivered()).toHaveLength(0);
      await notifier.send(message);
      expect(await probe.delivered()).toHaveLength(1);
    });
  });
}
