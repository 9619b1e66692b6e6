import { describe, expect, it } from 'vitest';
import { runEmailFollowUps } from '../../examples/email-followups/main.js';

describe('examples/email-followups', () => {
  it('sends the surveys through a local SMTP server and prints what arrived', async () => {
    const lines: string[] = [];
    const mails = await runEmailFollowUps((line) => lines.push(line));
    expect(mails.map((m) => m.subject)).toEqual(['【tkt_001】サポートについてのアンケートのお願い', 'How did we do? (tkt_002)']);
    expect(mails[1]?.html).toContain('about “Invoice &lt;shows&gt; the wrong address”');
    const text = lines.join('\n');
    expect(text).toContain('2 messages arrived');
    expect(text).toContain('To: "田中様" <hanako.tanaka@example.jp>');
    expect(text).toContain('Dear John,');
    expect(text).toMatch(/survey\/srv%3Afu%3Acsat%3Acus_002%3Atkt_002/);
  });
});
