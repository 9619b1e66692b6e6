import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ValidationError, createMemoryAttachmentStore, type AttachmentStorePort } from 'omotenashi';
import { baseSubject, createThreadTokens, htmlToText } from 'omotenashi/email';
import { createFileAttachmentStore } from 'omotenashi/attachments-fs';
import { SECRET } from './harness.js';

describe('thread tokens', () => {
  const tokens = createThreadTokens(SECRET);

  it('a minted token is found again, signed, in a subject or a plus address; a changed one is not signed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.string({ maxLength: 40 }), async (id, subject) => {
        const token = (await tokens.mint(id)) as string;
        const clean = subject.replace(/[[\]]/g, '');
        expect(await tokens.find(await tokens.tagSubject(clean, id), [])).toEqual({ ticketId: id, signed: true, in: 'subject' });
        expect(await tokens.find('', [await tokens.plusAddress('support@desk.example', id)])).toEqual({ ticketId: id, signed: true, in: 'address' });
        const sig = token.slice(-10);
        const flipped = `${token.slice(0, -10)}${sig[0] === 'a' ? 'b' : 'a'}${sig.slice(1)}`;
        expect((await tokens.find(`Re: [#${flipped}]`, []))?.signed).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('another secret does not sign the same token; ids a token cannot carry get none; a short secret is refused', async () => {
    const other = createThreadTokens('another-secret-entirely-0123456789');
    const token = (await tokens.mint('tkt_0042')) as string;
    expect((await other.find(`[#${token}]`, []))?.signed).toBe(false);
    expect(await tokens.mint('tkt with spaces')).toBeUndefined();
    expect(await tokens.tagSubject('Hello', 'tkt with spaces')).toBe('Hello');
    expect(() => createThreadTokens('short')).toThrow(ConfigError);
    // Tagging twice keeps one token; an old token is replaced.
    const once = await tokens.tagSubject('Re: Invoice', 'tkt_0042');
    expect(await tokens.tagSubject(once, 'tkt_0042')).toBe(once);
    expect(baseSubject(`AW: Re: 返信: ${once}`)).toBe('Invoice');
  });
});

describe('HTML to text', () => {
  it('never lets a tag, a script or a style through, whatever the markup', () => {
    const tag = fc.constantFrom('<script>alert(1)</script>', '<style>p{}</style>', '<b>', '</b>', '<p class="x">', '<img src=x onerror=alert(1)>', '<!-- c -->', '<br/>', '<a href="javascript:x">', '<scr<script>ipt>');
    fc.assert(
      fc.property(fc.array(fc.oneof(tag, fc.string({ maxLength: 10 }).map((s) => s.replace(/[<>&]/g, ''))), { maxLength: 30 }), (parts) => {
        const out = htmlToText(parts.join(''));
        expect(out).not.toMatch(/<script|<style|<img|<p\b|<b>|onerror=|alert\(1\)/i);
      }),
    );
  });

  it('keeps structure: paragraphs and breaks as lines, blockquotes quoted, entities decoded', () => {
    expect(htmlToText('<p>Hello&nbsp;Ken,</p><p>Line&nbsp;one<br>Line two &amp; three &#x1F600;</p><blockquote><p>Earlier</p></blockquote>')).toBe('Hello Ken,\n\nLine one\nLine two & three 😀\n\n> Earlier');
  });
});

const dir = mkdtempSync(join(tmpdir(), 'omotenashi-attachments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each<[string, () => AttachmentStorePort]>([
  ['memory', () => createMemoryAttachmentStore()],
  ['file system', () => createFileAttachmentStore({ directory: join(dir, String(Math.random()).slice(2)) })],
])('attachment store: %s', (_name, create) => {
  it('keeps bytes and their info under a key, replaces on a second put, and deletes', async () => {
    const store = create();
    const bytes = new Uint8Array([1, 2, 3, 250]);
    await store.put('email/abc/1-file.pdf', bytes, { contentType: 'application/pdf', name: '見積書.pdf', sizeBytes: 4 });
    const got = await store.get('email/abc/1-file.pdf');
    expect(got).toEqual({ bytes, info: { contentType: 'application/pdf', name: '見積書.pdf', sizeBytes: 4 } });
    (got as { bytes: Uint8Array }).bytes[0] = 99;
    expect((await store.get('email/abc/1-file.pdf'))?.bytes[0]).toBe(1);
    await store.put('email/abc/1-file.pdf', new Uint8Array([7]), { contentType: 'text/plain', name: 'x', sizeBytes: 1 });
    expect((await store.get('email/abc/1-file.pdf'))?.bytes).toEqual(new Uint8Array([7]));
    await store.delete('email/abc/1-file.pdf');
    expect(await store.get('email/abc/1-file.pdf')).toBeNull();
    await store.delete('email/abc/1-file.pdf');
  });

  it('refuses keys that could leave the store', async () => {
    const store = create();
    for (const key of ['../etc/passwd', 'a/../../b', '/abs', 'a//b', 'sp ace', '']) {
      await expect((async () => store.put(key, new Uint8Array(1), { contentType: 'x', name: 'x', sizeBytes: 1 }))()).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describe('file attachment store options', () => {
  it('needs a directory', () => {
    expect(() => createFileAttachmentStore({ directory: '' })).toThrow(ConfigError);
  });
});
