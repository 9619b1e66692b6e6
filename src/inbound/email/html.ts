const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', hellip: '…', mdash: '—', ndash: '–', laquo: '«', raquo: '»', yen: '¥', euro: '€' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/**
 * An HTML body as plain text for the ticket: scripts, styles, heads and comments dropped with
 * their content, every tag removed, block elements as line breaks, `<blockquote>` lines quoted
 * with `> ` (so reply trimming sees them), entities decoded. The result is text, never markup:
 * nothing in it is rendered as HTML.
 */
export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<(script|style|head|title|template|noscript|svg|object|iframe)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|div|tr|li|ul|ol|table|h[1-6]|section|article|header|footer|hr)\b[^>]*>/gi, '\n');
  // Quoted blocks, innermost first, each line marked.
  for (let guard = 0; guard < 20 && /<blockquote\b/i.test(s); guard++) {
    const next = s.replace(/<blockquote\b[^>]*>((?:(?!<blockquote\b)[\s\S])*?)<\/blockquote\s*>/gi, (_m, inner: string) => `\n${inner.trim().split('\n').map((l) => `> ${l}`).join('\n')}\n`);
    if (next === s) break;
    s = next;
  }
  s = s.replace(/<[^>]*>/g, '').replace(/<[^>]*$/, '');
  return decodeEntities(s)
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
