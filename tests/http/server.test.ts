import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '@hono/node-server';
import { createEmailIntake } from 'omotenashi/email';
import { apiDesk, caller } from './harness.js';

const SECRET = 'inbound-secret-0123456789abcdef';
const raw = (id: string, from: string, body: string) =>
  [`From: Dai <${from}>`, 'To: support@desk.example', `Subject: My parcel`, `Message-ID: <${id}@mail.example>`, 'Date: Tue, 01 Dec 2026 10:00:00 +0900', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');

describe('HTTP API over real HTTP on 127.0.0.1', () => {
  let server: ReturnType<typeof serve>;
  let base = '';
  let s: Awaited<ReturnType<typeof apiDesk>>;
  const mismatches: string[] = [];

  beforeAll(async () => {
    let intake: ReturnType<typeof createEmailIntake> | undefined;
    s = await apiDesk({ api: { inbound: { intake: { receive: (r) => (intake as ReturnType<typeof createEmailIntake>).receive(r) }, secret: SECRET } } });
    intake = createEmailIntake({ desk: s.desk, addresses: ['support@desk.example'] });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: s.api.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(mismatches).toEqual([]);
  });

  const call = (...a: Parameters<ReturnType<typeof caller>>) => caller((r) => fetch(r), { base, document: s.api.document(), mismatches })(...a);

  it('serves the document, a portal ticket, the 404 for a stranger and the 412 for a stale If-Match', async () => {
    expect((await call('GET', '/openapi.json', null)).body.openapi).toBe('3.1.0');
    const opened = await call('POST', '/tickets', 'aya', { subject: 'Over the wire' }, { 'idempotency-key': 'wire-1' });
    expect(opened.status).toBe(201);
    expect((await call('POST', '/tickets', 'aya', { subject: 'Over the wire' }, { 'idempotency-key': 'wire-1' })).headers.get('idempotency-replayed')).toBe('true');
    expect((await call('GET', `/tickets/${opened.body.id}`, 'ben')).status).toBe(404);
    const answered = await call('POST', `/tickets/${opened.body.id}/interactions`, 'agent', { body: 'On it' }, { 'if-match': opened.headers.get('etag') as string });
    expect(answered.status).toBe(201);
    expect((await call('POST', `/tickets/${opened.body.id}/interactions`, 'agent', { body: 'Again' }, { 'if-match': opened.headers.get('etag') as string })).status).toBe(412);
    const listed = await call('GET', '/tickets?limit=1', 'agent');
    expect(listed.body.items).toHaveLength(1);
    expect((await call('GET', '/tickets', null)).status).toBe(401);
  });

  it('takes raw MIME from an inbound webhook with the shared secret, and refuses it without', async () => {
    const message = raw('m1', 'dai@example.net', 'Where is my parcel?');
    const post = (auth: string | null, type = 'message/rfc822') =>
      fetch(`${base}/inbound/email`, { method: 'POST', headers: { ...(auth === null ? {} : { authorization: auth }), 'content-type': type }, body: message });
    expect((await post(null)).status).toBe(401);
    expect((await post('Bearer wrong-secret-0123456789abcdef')).status).toBe(401);
    expect((await post(`Bearer ${SECRET}`, 'application/json')).status).toBe(415);
    const ok = await post(`Basic ${btoa(`inbound:${SECRET}`)}`);
    expect(ok.status).toBe(200);
    const result = (await ok.json()) as { outcome: string; ticketId: string };
    expect(result.outcome).toBe('opened');
    expect((await s.desk.getTicket(result.ticketId as never)).subject).toBe('My parcel');
    const again = await post(`Bearer ${SECRET}`);
    expect(((await again.json()) as { outcome: string }).outcome).toBe('duplicate');
  });
});
