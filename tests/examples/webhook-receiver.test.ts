import { describe, expect, it } from 'vitest';
import { runWebhookReceiver } from '../../examples/webhook-receiver/main.js';

describe('examples/webhook-receiver', () => {
  it('verifies signatures, survives a 503 through the outbox, drops repeats and refuses forged and replayed requests', async () => {
    const lines: string[] = [];
    const log = await runWebhookReceiver((line) => lines.push(line));
    expect(log.map((e) => [e.status, e.note])).toEqual([
      [503, 'busy (the sender will retry)'],
      [200, 'verified and handled'],
      [200, 'a repeat: already handled, dropped'],
      [401, 'refused: mismatch'],
      [401, 'refused: expired'],
    ]);
    expect(lines.filter((l) => l.includes('receiver handled'))).toEqual(['  receiver handled: [chat to ken.sato] 佐藤様、ご注文 A-2001 を発送しました。']);
  });
});
