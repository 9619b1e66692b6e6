import { ConfigError, TemplateError } from '../errors.js';
import type { JsonValue } from '../domain/common.js';
import type { RenderedMessage } from '../domain/notification.js';

/** One language of a template: a subject, a plain-text body and optionally an HTML body. */
export interface TemplateText {
  /** The subject line (e-mail) or title (chat, push). Line breaks are folded into spaces when rendered. */
  readonly subject: string;
  /** The plain-text body; also the source of the HTML body when `html` is not given. */
  readonly text: string;
  /** The HTML body. Every `{{variable}}` in it is HTML-escaped when rendered. */
  readonly html?: string;
}

/**
 * A template: the variables it uses and its text per locale.
 *
 * Placeholders are `{{name}}` (`{{name|url}}` percent-encodes it for a link);
 * `{{#if name}}…{{else}}…{{/if}}` shows a part only when the variable is present and not empty. A variable ending in `?` in `variables` is optional (it
 * renders as nothing when missing); every other one must be in the data.
 */
export interface TemplateSpec {
  /** The variables the template uses, e.g. `['recipientName', 'ticketRef', 'reason?']`. */
  readonly variables: ReadonlyArray<string>;
  /** The text per locale (BCP 47: `en`, `ja`, `en-GB`). */
  readonly locales: Readonly<Record<string, TemplateText>>;
}

export type { RenderedMessage } from '../domain/notification.js';

/**
 * The data a template needs: its required variables, its optional ones, and anything else (the
 * desk adds `recipientName`, `ticketRef` and the like to every message).
 */
export type TemplateData<S extends TemplateSpec> = { readonly [K in S['variables'][number] as K extends `${string}?` ? never : K]: JsonValue } & {
  readonly [K in S['variables'][number] as K extends `${infer N}?` ? N : K]?: JsonValue;
} & Readonly<Record<string, JsonValue>>;

/** A set of compiled templates, from {@link defineTemplates}. */
export interface TemplateRegistry<S extends Readonly<Record<string, TemplateSpec>> = Readonly<Record<string, TemplateSpec>>> {
  /** Marks a registry (so `createServiceDesk({ templates })` can tell it from plain data). */
  readonly kind: 'template-registry';
  /** The locale used when a message's locale has no text (default `en` when defined, else the first). */
  readonly defaultLocale: string;
  /** The template names. */
  readonly names: ReadonlyArray<keyof S & string>;
  /** Whether a template of this name exists. */
  has(name: string): name is keyof S & string;
  /** The variables a template requires (without the optional ones). */
  required(name: keyof S & string): ReadonlyArray<string>;
  /**
   * Render a template in a locale (falling back from `ja-JP` to `ja`, then to the default locale).
   * @throws ConfigError when there is no such template.
   * @throws TemplateError when a required variable is missing or a variable holds an object.
   */
  render<K extends keyof S & string>(name: K, locale: string, data: TemplateData<S[K]>): RenderedMessage;
}

type Node = { t: 'text'; v: string } | { t: 'var'; name: string; url: boolean; link: boolean } | { t: 'if'; name: string; then: Node[]; else: Node[] };

interface Compiled {
  readonly subject: Node[];
  readonly text: Node[];
  readonly html: Node[] | null;
}

// A placeholder that begins the value of an attribute holding a URL: its value decides the scheme.
const URL_ATTRIBUTE = /\b(?:href|src|action|formaction|poster|cite|background|xlink:href)\s*=\s*["']?\s*$/i;
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** The scheme a browser would see in a URL (it drops control characters and whitespace), or null for a relative one. */
function schemeOf(url: string): string | null {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url.replace(/[\u0000-\u0020\u007f]/g, ''));
  return m === null ? null : (m[1] as string).toLowerCase();
}

const TOKEN = /\{\{\s*(#if\s+|\/if|else|)\s*([A-Za-z_][A-Za-z0-9_]*)?\s*(\|\s*url\s*)?\}\}/g;

function parse(source: string, where: string, known: ReadonlySet<string>): Node[] {
  const root: Node[] = [];
  const stack: Array<{ node: Extract<Node, { t: 'if' }>; inElse: boolean }> = [];
  const out = (): Node[] => {
    const top = stack[stack.length - 1];
    return top === undefined ? root : top.inElse ? top.node.else : top.node.then;
  };
  const check = (name: string): void => {
    if (!known.has(name)) throw new ConfigError(where, `uses {{${name}}}, which is not among its variables: add "${name}" (or "${name}?") to variables, or fix the name`);
  };
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    const before = source.slice(last, m.index);
    if (before.includes('{{')) throw new ConfigError(where, `"${before.slice(before.indexOf('{{'), before.indexOf('{{') + 30)}" is not a placeholder: write {{name}}, {{#if name}}, {{else}} or {{/if}}`);
    if (before !== '') out().push({ t: 'text', v: before });
    last = m.index + m[0].length;
    const [, op = '', name, filter] = m;
    if (op.startsWith('#if')) {
      if (name === undefined) throw new ConfigError(where, '{{#if}} needs a variable name');
      check(name);
      const node: Extract<Node, { t: 'if' }> = { t: 'if', name, then: [], else: [] };
      out().push(node);
      stack.push({ node, inElse: false });
    } else if (op === 'else' || op === '/if') {
      const top = stack[stack.length - 1];
      if (top === undefined || (op === 'else' && top.inElse)) throw new ConfigError(where, `{{${op}}} without a matching {{#if}}`);
      if (op === 'else') top.inElse = true;
      else stack.pop();
    } else {
      if (name === undefined) throw new ConfigError(where, 'an empty placeholder {{}}');
      check(name);
      out().push({ t: 'var', name, url: filter !== undefined, link: URL_ATTRIBUTE.test(source.slice(Math.max(0, m.index - 200), m.index)) });
    }
  }
  const rest = source.slice(last);
  if (rest.includes('{{')) throw new ConfigError(where, `"${rest.slice(rest.indexOf('{{'), rest.indexOf('{{') + 30)}" is not a placeholder: write {{name}}, {{#if name}}, {{else}} or {{/if}}`);
  if (rest !== '') out().push({ t: 'text', v: rest });
  const open = stack[stack.length - 1];
  if (open !== undefined) throw new ConfigError(where, `{{#if ${open.node.name}}} is never closed: add {{/if}}`);
  return root;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** Plain text as an HTML fragment: escaped, paragraphs at blank lines, `<br>` at single line breaks. */
export function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\r?\n\s*\r?\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>\n')}</p>`)
    .join('\n');
}

const present = (v: JsonValue | undefined): boolean =>
  v !== undefined && v !== null && v !== false && v !== '' && v !== 0 && !(Array.isArray(v) && v.length === 0);

/**
 * Compile and check a set of templates. Every placeholder must name a declared variable, every
 * template needs at least one locale, and `{{#if}}` blocks must be closed: mistakes are caught
 * here, not when a customer is waiting for the message.
 *
 * @example
 * ```ts
 * const templates = defineTemplates({
 *   ticket_resolved: {
 *     variables: ['recipientName', 'ticketRef', 'agentName?'],
 *     locales: {
 *       en: { subject: 'Your request {{ticketRef}} is resolved', text: 'Dear {{recipientName}},\n\nWe have resolved {{ticketRef}}.{{#if agentName}}\n\n{{agentName}}{{/if}}' },
 *       ja: { subject: '【{{ticketRef}}】解決のご報告', text: '{{recipientName}}\n\nお問い合わせ {{ticketRef}} は解決いたしました。' },
 *     },
 *   },
 * });
 * templates.render('ticket_resolved', 'ja-JP', { recipientName: '田中様', ticketRef: 'tkt_1' }).subject; // '【tkt_1】解決のご報告'
 * ```
 * @throws ConfigError naming the template, the locale, the part and the placeholder at fault.
 */
export function defineTemplates<const S extends Readonly<Record<string, TemplateSpec>>>(
  spec: S,
  options: { readonly defaultLocale?: string } = {},
): TemplateRegistry<S> {
  const compiled = new Map<string, { locales: Map<string, Compiled>; required: string[]; optional: Set<string> }>();
  const allLocales = new Set<string>();
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new ConfigError('templates', 'expected templates by name, e.g. defineTemplates({ ticket_resolved: { variables: [...], locales: { en: { subject, text } } } })');
  for (const [name, t] of Object.entries(spec)) {
    if (typeof t !== 'object' || t === null) throw new ConfigError(`templates.${name}`, 'expected { variables: [...], locales: { en: { subject, text } } }');
    if (!/^[a-z][a-z0-9_.-]{0,99}$/.test(name)) throw new ConfigError(`templates.${name}`, 'a template name is lower-case letters, digits, "_", "." or "-", starting with a letter');
    if (!Array.isArray(t.variables)) throw new ConfigError(`templates.${name}.variables`, 'list the variables the template uses, e.g. ["recipientName", "ticketRef"] (an empty list when none)');
    const required: string[] = [];
    const optional = new Set<string>();
    for (const v of t.variables) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(\?)?$/.exec(v);
      if (m === null) throw new ConfigError(`templates.${name}.variables`, `"${v}" is not a variable name: letters, digits and "_", with "?" at the end when optional`);
      if (m[2] === '?') optional.add(m[1] as string);
      else required.push(m[1] as string);
    }
    const known = new Set([...required, ...optional]);
    const entries = Object.entries(t.locales ?? {});
    if (entries.length === 0) throw new ConfigError(`templates.${name}.locales`, 'give the text in at least one locale, e.g. { en: { subject, text } }');
    const locales = new Map<string, Compiled>();
    for (const [locale, text] of entries) {
      const where = `templates.${name}.locales.${locale}`;
      if (typeof text?.subject !== 'string' || typeof text.text !== 'string' || text.text.trim() === '') throw new ConfigError(where, 'needs a subject and a non-empty text');
      locales.set(locale, {
        subject: parse(text.subject, `${where}.subject`, known),
        text: parse(text.text, `${where}.text`, known),
        html: text.html === undefined ? null : parse(text.html, `${where}.html`, known),
      });
      allLocales.add(locale);
    }
    compiled.set(name, { locales, required, optional });
  }
  const defaultLocale = options.defaultLocale ?? (allLocales.has('en') ? 'en' : ([...allLocales][0] ?? 'en'));

  function pick(locales: Map<string, Compiled>, wanted: string): [string, Compiled] {
    const language = wanted.split('-')[0] as string;
    for (const candidate of [wanted, language]) {
      const c = locales.get(candidate);
      if (c !== undefined) return [candidate, c];
    }
    for (const [l, c] of locales) if (l.split('-')[0] === language) return [l, c];
    const d = locales.get(defaultLocale);
    if (d !== undefined) return [defaultLocale, d];
    return [...locales][0] as [string, Compiled];
  }

  return {
    kind: 'template-registry',
    defaultLocale,
    names: [...compiled.keys()] as Array<keyof S & string>,
    has: (name): name is keyof S & string => compiled.has(name),
    required: (name) => compiled.get(name)?.required ?? [],
    render(name, locale, data) {
      const t = compiled.get(name);
      if (t === undefined) throw new ConfigError('template', `there is no template "${name}": define it with defineTemplates({ ${name}: { variables, locales } }) (known: ${[...compiled.keys()].join(', ') || 'none'})`);
      const values = data as Readonly<Record<string, JsonValue | undefined>>;
      for (const v of t.required) {
        if (values[v] === undefined || values[v] === null) throw new TemplateError({ template: name, locale, variable: v, problem: `needs the variable "${v}", which the data does not have` });
      }
      const [used, c] = pick(t.locales, locale);
      const value = (v: string): string => {
        const x = values[v];
        if (x === undefined || x === null) return '';
        if (typeof x === 'string') return x;
        if (typeof x === 'number' || typeof x === 'boolean') return String(x);
        if (Array.isArray(x) && x.every((i) => i === null || typeof i !== 'object')) return x.join(', ');
        throw new TemplateError({ template: name, locale: used, variable: v, problem: `puts "${v}" in text, but the data holds an object there` });
      };
      const run = (nodes: ReadonlyArray<Node>, escape: boolean): string => {
        let s = '';
        for (const n of nodes) {
          if (n.t === 'text') s += n.v;
          else if (n.t === 'var') {
            const v = n.url ? encodeURIComponent(value(n.name)) : value(n.name);
            const scheme = escape && n.link ? schemeOf(v) : null;
            if (scheme !== null && !SAFE_SCHEMES.has(scheme)) {
              throw new TemplateError({ template: name, locale: used, variable: n.name, problem: `puts a "${scheme}:" URL in a link; links take http, https and mailto URLs only` });
            }
            s += escape ? escapeHtml(v) : v;
          }
          else s += run(present(values[n.name]) ? n.then : n.else, escape);
        }
        return s;
      };
      const text = run(c.text, false);
      return {
        locale: used,
        subject: run(c.subject, false).replace(/\s*[\r\n]+\s*/g, ' ').trim(),
        text,
        html: c.html === null ? textToHtml(text) : run(c.html, true),
      };
    },
  };
}

/** Whether a value is a registry made by {@link defineTemplates}. */
export function isTemplateRegistry(value: unknown): value is TemplateRegistry {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'template-registry';
}
