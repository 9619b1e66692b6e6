import { CHANNELS, type Channel } from '../../domain/common.js';
import type { Notification, NotifierPort } from '../../ports/notifier.js';

/** Options of {@link createConsoleNotifier}. */
export interface ConsoleNotifierOptions {
  /** Where lines go (default `console.log`). */
  readonly write?: (line: string) => void;
  /** Channels it claims (default: every channel). */
  readonly channels?: ReadonlyArray<Channel>;
}

const summary = (data: Notification['data']): string =>
  Object.entries(data)
    .filter(([k, v]) => v !== null && typeof v !== 'object' && k !== 'followUpId' && k !== 'surveyId')
    .map(([k, v]) => {
      const text = String(v);
      return `${k}=${text.length > 40 ? `${text.slice(0, 39)}…` : text}`;
    })
    .join(' ');

/**
 * A notifier that prints one line per message instead of delivering it: for demos and local
 * development. Remembers idempotency keys, so a retried message prints once.
 *
 * @example
 * ```ts
 * const desk = createServiceDesk({ storage, notifiers: [createConsoleNotifier()], followUps: { plans } });
 * // [notify] email → Ms Tanaka <tanaka@example.com> survey (en) ticket=tkt_1
 * ```
 */
export function createConsoleNotifier(options: ConsoleNotifierOptions = {}): NotifierPort {
  const write = options.write ?? ((line: string) => console.log(line));
  const seen = new Map<string, string>();
  let n = 0;
  return {
    name: 'console',
    capabilities: { channels: options.channels ?? CHANNELS, deduplicates: true },
    send(notification) {
      const known = seen.get(notification.idempotencyKey);
      if (known !== undefined) return Promise.resolve({ externalId: known });
      const externalId = `console-${++n}`;
      seen.set(notification.idempotencyKey, externalId);
      const { to, channel, template, locale, data, rendered } = notification;
      const what = rendered === undefined ? (Object.keys(data).length > 0 ? ` ${summary(data)}` : '') : ` "${rendered.subject}"`;
      write(`[notify] ${channel} → ${to.name} <${to.address.replace(/\n/g, ', ')}> ${template} (${locale})${what}`);
      return Promise.resolve({ externalId });
    },
  };
}

/** A {@link NotifierPort} that keeps what it was asked to send, for tests. */
export interface RecordingNotifier extends NotifierPort {
  /** Every message delivered, in order (a retried idempotency key appears once). */
  readonly sent: ReadonlyArray<Notification & { readonly externalId: string }>;
  /** How many `send` calls there were, retries and failures included. */
  readonly attempts: number;
  /** Make the next `count` sends fail with `error` (default: a network-style error). */
  failNext(count: number, error?: Error): void;
  /** Forget everything sent. */
  clear(): void;
}

/**
 * A notifier that records messages instead of delivering them, deduplicating by idempotency
 * key, with fault injection: for application tests and adapter conformance.
 *
 * @example
 * ```ts
 * const notifier = createRecordingNotifier();
 * const desk = createServiceDesk({ storage, clock, notifiers: [notifier], followUps });
 * // ... after the follow-up falls due:
 * expect(notifier.sent.map((m) => m.template)).toEqual(['survey']);
 * ```
 */
export function createRecordingNotifier(options: { channels?: ReadonlyArray<Channel>; name?: string } = {}): RecordingNotifier {
  const sent: Array<Notification & { externalId: string }> = [];
  const byKey = new Map<string, string>();
  let attempts = 0;
  let failures: Array<Error> = [];
  return {
    name: options.name ?? 'recording',
    capabilities: { channels: options.channels ?? CHANNELS, deduplicates: true },
    get sent() {
      return sent;
    },
    get attempts() {
      return attempts;
    },
    failNext(count, error) {
      failures = Array.from({ length: count }, () => error ?? new Error('ECONNRESET: the provider closed the connection'));
    },
    clear() {
      sent.length = 0;
      byKey.clear();
    },
    send(notification) {
      attempts++;
      const failure = failures.shift();
      if (failure !== undefined) return Promise.reject(failure);
      const known = byKey.get(notification.idempotencyKey);
      if (known !== undefined) return Promise.resolve({ externalId: known });
      const externalId = `rec-${sent.length + 1}`;
      byKey.set(notification.idempotencyKey, externalId);
      sent.push({ ...structuredClone(notification), externalId });
      return Promise.resolve({ externalId });
    },
  };
}
