import { createConsoleNotifier } from 'omotenashi';
import { createRecordingNotifier, defineNotifierConformanceSuite } from 'omotenashi/testing';

defineNotifierConformanceSuite({
  name: 'recording notifier conformance',
  create: async () => {
    const notifier = createRecordingNotifier();
    return {
      notifier,
      probe: {
        delivered: async () => notifier.sent.map((m) => ({ address: m.to.address, idempotencyKey: m.idempotencyKey, text: `${m.rendered?.text ?? ''} ${JSON.stringify(m.data)}` })),
        failNext: () => notifier.failNext(1),
      },
    };
  },
});

defineNotifierConformanceSuite({
  name: 'console notifier conformance',
  create: async () => {
    const lines: string[] = [];
    const notifier = createConsoleNotifier({ write: (line) => lines.push(line) });
    return {
      notifier,
      probe: { delivered: async () => lines.map((text) => ({ address: /<([^>]*)>/.exec(text)?.[1] ?? '', text })) },
    };
  },
  skip: { 'rejects when the far end fails, and delivers on a later try': 'a terminal does not refuse lines' },
});
