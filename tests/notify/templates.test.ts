import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, TemplateError, defineTemplates, escapeHtml, salutationName } from 'omotenashi';

const templates = defineTemplates({
  ticket_resolved: {
    variables: ['recipientName', 'ticketRef', 'agentName?', 'note?'],
    locales: {
      en: {
        subject: 'Your request {{ticketRef}} is resolved',
        text: 'Dear {{recipientName}},\n\nWe have resolved your request {{ticketRef}}.{{#if note}}\n\nNote: {{note}}{{/if}}\n\n{{#if agentName}}{{agentName}}{{else}}The support team{{/if}}',
        html: '<p>Dear {{recipientName}},</p><p>We have resolved <b>{{ticketRef}}</b>.</p>{{#if note}}<p class="note">{{note}}</p>{{/if}}<p>{{#if agentName}}{{agentName}}{{else}}The support team{{/if}}</p>',
      },
      ja: {
        subject: '【{{ticketRef}}】解決のご報告',
        text: '{{recipientName}}\n\nお問い合わせ（{{ticketRef}}）は解決いたしました。{{#if agentName}}\n\n担当：{{agentName}}{{/if}}',
      },
    },
  },
});

describe('templates', () => {
  it('renders English with the formal address, the agent and the ticket reference, and a plain-text alternative', () => {
    const r = templates.render('ticket_resolved', 'en-GB', { recipientName: 'Ms Tanaka', ticketRef: 'tkt_0001', agentName: 'Aiko Sato' });
    expect(r.locale).toBe('en');
    expect(r.subject).toBe('Your request tkt_0001 is resolved');
    expect(r.text).toBe('Dear Ms Tanaka,\n\nWe have resolved your request tkt_0001.\n\nAiko Sato');
    expect(r.html).toBe('<p>Dear Ms Tanaka,</p><p>We have resolved <b>tkt_0001</b>.</p><p>Aiko Sato</p>');
  });

  it('renders Japanese with 様, and builds the HTML from the text when the locale has none', () => {
    const r = templates.render('ticket_resolved', 'ja-JP', { recipientName: '田中様', ticketRef: 'tkt_0001' });
    expect(r.locale).toBe('ja');
    expect(r.subject).toBe('【tkt_0001】解決のご報告');
    expect(r.text).toBe('田中様\n\nお問い合わせ（tkt_0001）は解決いたしました。');
    expect(r.html).toBe('<p>田中様</p>\n<p>お問い合わせ（tkt_0001）は解決いたしました。</p>');
  });

  it('falls back to the default locale for a language it does not have', () => {
    expect(templates.render('ticket_resolved', 'fr', { recipientName: 'Mme Dupont', ticketRef: 't' }).locale).toBe('en');
  });

  it('escapes hostile customer text in HTML but keeps it verbatim in the plain text', () => {
    const hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const r = templates.render('ticket_resolved', 'en', { recipientName: hostile, ticketRef: 'tkt_1', note: `"quoted" 'single'` });
    expect(r.html).not.toContain('<script>');
    expect(r.html).not.toContain('<img');
    expect(r.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(r.html).toContain('<p class="note">&quot;quoted&quot; &#39;single&#39;</p>');
    expect(r.text).toContain(hostile);
    const ja = templates.render('ticket_resolved', 'ja', { recipientName: hostile, ticketRef: 'tkt_1' });
    expect(ja.html).not.toContain('<script>');
  });

  it('no customer text can add markup: every escaped value is free of < > " and \'', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const { html } = templates.render('ticket_resolved', 'en', { recipientName: name, ticketRef: 'tkt_1' });
        const inserted = html.slice('<p>Dear '.length, html.indexOf(',</p>'));
        expect(inserted).toBe(escapeHtml(name));
        expect(inserted).not.toMatch(/[<>"']/);
      }),
    );
  });

  it('percent-encodes a variable for a link with |url', () => {
    const links = defineTemplates({ survey: { variables: ['surveyId'], locales: { en: { subject: 'Rate us', text: 'https://help.example.com/s/{{surveyId|url}}', html: '<a href="https://help.example.com/s/{{ surveyId | url }}">Rate us</a>' } } } });
    const r = links.render('survey', 'en', { surveyId: 'srv:fu:csat@1 "x"' });
    expect(r.text).toBe('https://help.example.com/s/srv%3Afu%3Acsat%401%20%22x%22');
    expect(r.html).toBe('<a href="https://help.example.com/s/srv%3Afu%3Acsat%401%20%22x%22">Rate us</a>');
  });

  it('folds line breaks out of subjects (no header injection)', () => {
    const r = templates.render('ticket_resolved', 'en', { recipientName: 'x', ticketRef: 'tkt_1\r\nBcc: victim@example.com' });
    expect(r.subject).toBe('Your request tkt_1 Bcc: victim@example.com is resolved');
  });

  it('a missing variable is an error at render time that names it', () => {
    const render = () => templates.render('ticket_resolved', 'en', { recipientName: 'Ms Tanaka' } as never);
    expect(render).toThrow(TemplateError);
    expect(render).toThrow(/ticketRef/);
    try {
      render();
    } catch (e) {
      expect(e).toMatchObject({ code: 'TEMPLATE_RENDER_FAILED', variable: 'ticketRef', template: 'ticket_resolved' });
    }
    expect(() => templates.render('ticket_resolved', 'en', { recipientName: 'x', ticketRef: { nested: true } })).toThrow(/holds an object/);
  });

  it('an unknown variable, an unclosed block or a stray brace is an error at definition time', () => {
    expect(() => defineTemplates({ t: { variables: ['name'], locales: { en: { subject: 'Hi', text: 'Dear {{nmae}}' } } } })).toThrow(/templates\.t\.locales\.en\.text.*\{\{nmae\}\}/);
    expect(() => defineTemplates({ t: { variables: ['name'], locales: { ja: { subject: '{{name}}', text: '{{#if name}}x' } } } })).toThrow(/never closed/);
    expect(() => defineTemplates({ t: { variables: ['name'], locales: { en: { subject: 'x', text: 'a {{ name ' } } } })).toThrow(ConfigError);
    expect(() => defineTemplates({ t: { variables: ['na me'], locales: { en: { subject: 'x', text: 'x' } } } })).toThrow(/not a variable name/);
    expect(() => defineTemplates({ t: { variables: [], locales: {} } })).toThrow(/at least one locale/);
    expect(() => templates.render('nope' as never, 'en', {} as never)).toThrow(/no template "nope"/);
  });
});

describe('addressing the customer as their profile says', () => {
  const tanaka = { displayName: 'Tanaka Hanako', addressing: { form: 'formal' as const, honorific: 'Ms', familyName: 'Tanaka', givenName: 'Hanako', firstNameUsePermitted: false } };
  it('formal in English, 様 in Japanese, the first name only where permitted', () => {
    expect(salutationName(tanaka, 'en')).toBe('Ms Tanaka');
    expect(salutationName(tanaka, 'ja-JP')).toBe('Tanaka様');
    expect(salutationName({ ...tanaka, addressing: { ...tanaka.addressing, familyName: '田中', honorific: '様' } }, 'ja')).toBe('田中様');
    expect(salutationName({ ...tanaka, addressing: { ...tanaka.addressing, form: 'informal' } }, 'en')).toBe('Ms Tanaka');
    expect(salutationName({ ...tanaka, addressing: { ...tanaka.addressing, form: 'informal', firstNameUsePermitted: true } }, 'en')).toBe('Hanako');
    expect(salutationName({ ...tanaka, addressing: { ...tanaka.addressing, form: 'informal', firstNameUsePermitted: true } }, 'ja')).toBe('Hanakoさん');
    expect(salutationName({ displayName: '株式会社ミライ', addressing: { form: 'formal', firstNameUsePermitted: false } }, 'ja')).toBe('株式会社ミライ様');
  });
});

describe('templates: links', () => {
  const t = defineTemplates({
    invite: {
      variables: ['link', 'id'],
      locales: { en: { subject: 'Hi', text: 'Open {{link}}', html: '<p><a href="{{link}}">open</a> <a href=\'https://help.example.com/t/{{id|url}}\'>ticket</a> <img src={{link}}></p>' } },
    },
  });
  it('lets http, https, mailto and relative links through, escaped', () => {
    for (const link of ['https://help.example.com/a?b=1&c=2', 'http://x.example', 'mailto:help@example.com', '/relative/path', '#top']) {
      expect(t.render('invite', 'en', { link, id: 'x' }).html).toContain(escapeHtml(link));
    }
  });
  it('refuses javascript:, data: and the like however they are disguised, in HTML only', () => {
    for (const link of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' java\tscript:alert(1)', '\u0001javascript:x', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:x']) {
      expect(() => t.render('invite', 'en', { link, id: 'x' }), link).toThrow(TemplateError);
    }
    expect(() => t.render('invite', 'en', { link: 'https://ok.example', id: 'javascript:x' })).not.toThrow();
  });
});
