import { bench, describe } from 'vitest';
import { defineTemplates, escapeHtml } from 'omotenashi';

// Rendering 10,000 survey e-mails (subject, text and HTML, half in Japanese, customer names with
// markup to escape). Baseline: the usual hand-rolled approach, a regular-expression replace over
// the raw template strings on every render (no compile step), escaping values for the HTML part.
const en = {
  subject: 'How did we do? ({{ticketRef}})',
  text: 'Dear {{recipientName}},\n\nThank you for contacting us about "{{ticketSubject}}". {{agentName}} was glad to help.\n\nRate our help: https://help.example.com/survey/{{surveyId}}\n\nKind regards,\nExample Support',
  html: '<p>Dear {{recipientName}},</p><p>Thank you for contacting us about “{{ticketSubject}}”. {{agentName}} was glad to help.</p><p><a href="https://help.example.com/survey/{{surveyId}}">Rate our help</a></p>',
};
const ja = {
  subject: '【{{ticketRef}}】アンケートのお願い',
  text: '{{recipientName}}\n\n「{{ticketSubject}}」の件でお問い合わせいただき、ありがとうございました。担当の{{agentName}}が対応いたしました。\n\nhttps://help.example.com/survey/{{surveyId}}',
  html: '<p>{{recipientName}}</p><p>「{{ticketSubject}}」の件でお問い合わせいただき、ありがとうございました。担当の{{agentName}}が対応いたしました。</p><p><a href="https://help.example.com/survey/{{surveyId}}">アンケート</a></p>',
};
const templates = defineTemplates({ survey: { variables: ['recipientName', 'ticketRef', 'ticketSubject', 'agentName', 'surveyId'], locales: { en, ja } } });
const N = 10_000;
const messages = Array.from({ length: N }, (_, i) => ({
  locale: i % 2 === 0 ? 'en' : 'ja-JP',
  data: { recipientName: i % 7 === 0 ? `<b>Ms ${i}</b>` : i % 2 === 0 ? `Ms Customer${i}` : `顧客${i}様`, ticketRef: `tkt_${i}`, ticketSubject: `Router <drops> Wi-Fi #${i}`, agentName: 'Aiko Sato', surveyId: `srv_${i}` },
}));

const fill = (source: string, data: Record<string, string>, escape: boolean): string =>
  source.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => {
    const v = data[name];
    if (v === undefined) throw new Error(`missing ${name}`);
    return escape ? escapeHtml(v) : v;
  });

describe('render 10,000 survey e-mails (subject, text, HTML; en and ja)', () => {
  bench('baseline: regex replace over raw templates per render', () => {
    let size = 0;
    for (const m of messages) {
      const t = m.locale.startsWith('ja') ? ja : en;
      size += fill(t.subject, m.data, false).length + fill(t.text, m.data, false).length + fill(t.html, m.data, true).length;
    }
    if (size === 0) throw new Error('nothing rendered');
  });
  bench('omotenashi: compiled templates (defineTemplates once, render per message)', () => {
    let size = 0;
    for (const m of messages) {
      const r = templates.render('survey', m.locale, m.data);
      size += r.subject.length + r.text.length + r.html.length;
    }
    if (size === 0) throw new Error('nothing rendered');
  });
});
