import { describe, expect, it } from 'vitest';
import { runDay } from '../../examples/day-at-the-desk/main.js';

describe('examples/day-at-the-desk', () => {
  it('plays the whole day and tells the story', async () => {
    const lines: string[] = [];
    await runDay((line) => lines.push(line));
    const text = lines.join('\n');
    for (const expected of [
      'opens a complaint: “Kettle arrived broken”',
      'step “understand”',
      'step “repeat back”',
      'On hold with consent',
      'step “thank”',
      'The customer declines a hold',
      'transfers tkt_002 to Ben, with the customer\'s consent',
      'Packaging department (internal) opens',
      'no second ticket, still tkt_004',
      "▣ John writes for Smith & Daughters Ltd (he joined it by his @example.co.uk address): tkt_002's first response is due Wed 10:00 London time, on the company's calendar",
      '⇉ tkt_004 merged into tkt_002 (3 interactions now read there)',
      'tkt_004  closed  merged',
      'Tanaka Hanako confirms, and tkt_001 is closed from the customer\'s side',
      'tkt_002 reopens',
      'tkt_003 closes by itself after a quiet period',
      'SLA “premium-24x7” applies to tkt_001',
      '⚠ tkt_005 first response: 45 of 60 business minutes used',
      '⏸ tkt_005 resolution clock paused (waiting on the customer)',
      '✖ tkt_005 next response target missed',
      '✓ tkt_005 next response met, late',
      "Why tkt_005's resolution clock stands at 2 h 20 min of 16 h 00 min",
      'paused    (status pending_customer)',
      '⇢ routing gives tkt_005 to Aiko (least loaded; 3 considered)',
      'why Aiko: Aiko chosen, Mori (lacks network at level 2), Kato (lacks network at level 2)',
      '⚑ signals in Yamamoto Taro\'s words: emotion “腹が立ちます”, supervisor request “責任者を出して”',
      'escalated to Kato (Front desk) by rule “angry-to-supervisor”, because signals.labels contains "angry"',
      // With routing on the desk, a functional escalation goes to the team's queue and routing picks the agent.
      'routed to Legal by rule “legal-threat”, because signals.kinds contains "legal_threat"',
      '⇢ routing gives tkt_006 to Yamada (least loaded; 1 considered)',
      '10:15  ⏰ follow-up “csat” for Tanaka Hanako goes out by email',
      '[notify] email → 田中様 <hanako@example.jp> survey (ja-JP)',
      // John's survey waits for the end of his quiet hours in London (08:00 BST = 16:00 in Tokyo).
      '16:00  ⏰ follow-up “csat” for John Smith goes out by email',
      '⤼ follow-up “csat” skipped (survey_exists): ticket "tkt_002" already had its survey',
      '⤼ follow-up “csat” skipped (audience): plan "csat" addresses external customers only',
      '☆ Tanaka Hanako rates tkt_001: CSAT 5/5, solved “丁寧で早い対応でした”; credited to Aiko',
      '💡 Her suggestion goes to Product as feedback ticket tkt_007',
      '🛍 Offer for Sato Kenji: upsell Router X3 Mesh (whole-home Wi-Fi), because a step up from Router X2 — 5% off and 500 points (loyal tier)',
      '🛍 Offer for Sato Kenji: add_on Two-year care plan, because an add-on for Router X2',
      '🛍 No offer for Yamamoto Taro: 1 complaint is still open: the relationship comes first',
      '12:00  📅 follow-up “router-check-in” for Sato Kenji planned for Sat, 4 Apr 2026, 10:00',
      '10:00  ☎ task tkt_008 opened: call Sato Kenji',
      '09:00  ⏰ follow-up “birthday” for Tanaka Hanako goes out by email',
      // John's birthday at 09:00 in London is 17:00 in Tokyo.
      '17:00  ⏰ follow-up “birthday” for John Smith goes out by email',
      'follow-up “birthday” for John Smith planned for Mon, 5 Apr 2027, 17:00',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('bug!');
    expect(lines.filter((l) => /^\s+tkt_\d+\s+closed/.test(l))).toHaveLength(5);
    expect(text).toContain('⚐ Yamamoto Taro flagged “legal_threat” by escalation rules: threatened legal action');
    expect(text.indexOf('17:15  ⚠ tkt_005')).toBeLessThan(text.indexOf('17:25  ✉ Aiko replies'));
  });
});
