import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { validate } from '@readme/openapi-parser';
import { ConfigError, DeliveryError, type ServiceDesk } from 'omotenashi';
import { createHttpApi } from 'omotenashi/http';
import { apiDesk, caller, closeServers, exercised, over, type Transport } from './harness.js';

let mismatches: string[] = [];
afterEach(async () => {
  await closeServers();
  // Every answer of every test, checked against the API's own OpenAPI document.
  const found = mismatches;
  mismatches = [];
  expect(found).toEqual([]);
});

afterAll(async () => {
  // Every route of the API answered at least one test with a success (the inbound route: server.test.ts).
  const { api } = await apiDesk();
  const missed = api.routes.map((r) => `${r.method} ${r.path}`).filter((r) => !exercised.has(r));
  expect(missed).toEqual([]);
});

// Every test runs twice: through api.fetch in the process, and over real HTTP on 127.0.0.1.
describe.each(['fetch', 'http'] as const)('over %s', (transport: Transport) => {
  async function setup(options: Parameters<typeof apiDesk>[0] = {}) {
    const s = await apiDesk({ ...options, transport });
    return { ...s, call: caller(s.fetch, { document: s.api.document(), mismatches }) };
  }

  describe('HTTP API: the OpenAPI document', () => {
    it('is a valid OpenAPI 3.1 document describing every route, with its errors', async () => {
      const s = await setup();
      const doc = (await s.call('GET', '/openapi.json', null)).body;
      expect(await validate(structuredClone(doc))).toMatchObject({ valid: true });
      expect(doc.openapi).toBe('3.1.0');
      for (const r of s.api.routes) {
        const op = doc.paths[r.path]?.[r.method];
        expect(op, `${r.method} ${r.path}`).toBeDefined();
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '404', '422', '500']));
      }
      expect(s.api.routes.length).toBeGreaterThanOrEqual(30);
      expect(doc.components.schemas.Ticket.properties.createdAt).toMatchObject({ type: 'string', format: 'date-time' });
    });

    it('leaves the document out with document: false, and refuses bad options with a ConfigError', async () => {
      const s = await setup({ api: { document: false } });
      expect((await s.call('GET', '/openapi.json', null)).status).toBe(404);
      expect(() => createHttpApi({ desk: s.desk, authenticate: 'no' } as never)).toThrow(ConfigError);
      expect(() => createHttpApi({ desk: s.desk, authenticate: () => null, basePath: 'api/' })).toThrow(/basePath/);
      expect(() => createHttpApi({ desk: s.desk, authenticate: () => null, cors: { origins: '*', credentials: true } })).toThrow(/credentials/);
    });
  });

  describe('HTTP API: the customer portal', () => {
    it('lets a customer open, read and reply to their own ticket, and shows them nothing internal', async () => {
      const s = await setup();
      const opened = await s.call('POST', '/tickets', 'aya', { subject: 'Router blinks red', description: 'Since this morning' });
      expect(opened.status).toBe(201);
      expect(opened.headers.get('location')).toBe(`/tickets/${opened.body.id}`);
      expect(opened.headers.get('etag')).toBe('"1"');
      expect(opened.body).toMatchObject({ subject: 'Router blinks red', channel: 'web_form', status: 'new' });
      expect(opened.body).not.toHaveProperty('requesterId');
      const id = opened.body.id as string;
      await s.call('POST', `/tickets/${id}/interactions`, 'agent', { body: 'Customer sounds upset; check the line', visibility: 'internal', kind: 'note' });
      await s.call('POST', `/tickets/${id}/interactions`, 'agent', { body: 'Could you restart it?' });
      const seen = await s.call('GET', `/tickets/${id}/interactions`, 'aya');
      expect(seen.body.items.map((i: { body: string }) => i.body)).toEqual(['Since this morning', 'Could you restart it?']);
      expect(seen.body.items[1]).not.toHaveProperty('metadata');
      const agentView = await s.call('GET', `/tickets/${id}/interactions`, 'agent');
      expect(agentView.body.items).toHaveLength(3);
      const reply = await s.call('POST', `/tickets/${id}/interactions`, 'aya', { body: 'Restarted, still red' });
      expect(reply.status).toBe(201);
      expect(reply.body.interaction).toMatchObject({ author: { kind: 'customer' }, body: 'Restarted, still red', direction: 'inbound' });
      expect((await s.call('GET', `/tickets/${id}/audit`, 'aya')).status).toBe(403);
      expect((await s.call('GET', `/tickets/${id}/sla`, 'aya')).status).toBe(403);
      expect((await s.call('GET', '/tickets', 'aya')).body.items.map((t: { id: string }) => t.id)).toEqual([id]);
      expect((await s.call('GET', '/customers/me', 'aya')).body).toMatchObject({ id: s.aya.id, displayName: 'Aya Sato' });
      expect((await s.call('GET', '/customers/me', 'aya')).body).not.toHaveProperty('notes');
    });

    it("answers another customer's ticket with the same 404 as a missing one", async () => {
      const s = await setup();
      const { body: t } = await s.call('POST', '/tickets', 'aya', { subject: 'Invoice question' });
      const other = await s.call('GET', `/tickets/${t.id}`, 'ben');
      const missing = await s.call('GET', '/tickets/tkt_nope', 'ben');
      expect(other.status).toBe(404);
      expect(other.body.detail.replace(t.id, 'X')).toBe(missing.body.detail.replace('tkt_nope', 'X'));
      expect((await s.call('POST', `/tickets/${t.id}/interactions`, 'ben', { body: 'me too' })).status).toBe(404);
      expect((await s.call('POST', `/tickets/${t.id}/confirm`, 'ben', {})).status).toBe(404);
      expect((await s.call('GET', `/customers/${s.aya.id}`, 'ben')).status).toBe(404);
      expect((await s.call('GET', '/tickets', 'ben')).body.items).toEqual([]);
    });

    it('refuses the fields a customer may not set, naming each', async () => {
      const s = await setup();
      const r = await s.call('POST', '/tickets', 'aya', { subject: 'x', priority: 'urgent', assigneeId: 'agt_x' });
      expect(r.status).toBe(422);
      expect(r.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/assigneeId', '/priority']);
      const { body: t } = await s.call('POST', '/tickets', 'aya', { subject: 'y' });
      const note = await s.call('POST', `/tickets/${t.id}/interactions`, 'aya', { body: 'secret', visibility: 'internal' });
      expect(note.status).toBe(422);
      expect(note.body.errors[0].pointer).toBe('/visibility');
    });

    it('lets the requester confirm a resolution and answer their survey; another customer cannot', async () => {
      const s = await setup();
      const { body: t } = await s.call('POST', '/tickets', 'aya', { subject: 'Wi-Fi drops' });
      expect((await s.call('POST', `/tickets/${t.id}/resolve`, 'agent', { summary: 'Firmware updated' })).body.ticket.status).toBe('resolved');
      await s.clock.advance('PT1H');
      const surveyId = s.notifier.sent.find((m) => m.template === 'survey')?.data['surveyId'] as string;
      expect((await s.call('GET', `/surveys/${surveyId}`, 'ben')).status).toBe(404);
      expect((await s.call('POST', `/surveys/${surveyId}/answer`, 'ben', { csat: 1 })).status).toBe(404);
      expect((await s.call('GET', `/surveys/${surveyId}`, 'aya')).body).toMatchObject({ id: surveyId, status: 'sent' });
      const list = await s.call('GET', '/surveys', 'aya');
      expect(list.body.items.map((v: { id: string }) => v.id)).toEqual([surveyId]);
      const answered = await s.call('POST', `/surveys/${surveyId}/answer`, 'aya', { csat: 5 });
      expect(answered.body.survey).toMatchObject({ status: 'answered', answer: { csat: 5 } });
      expect(answered.body.survey).not.toHaveProperty('assigneeId');
      expect((await s.call('POST', `/surveys/${surveyId}/answer`, 'agent', { csat: 5 })).status).toBe(403);
      const confirmed = await s.call('POST', `/tickets/${t.id}/confirm`, 'aya', {});
      expect(confirmed.body.ticket.status).toBe('closed');
    });

    it('shows a customer their own offers without scores and lets them answer; published articles only', async () => {
      const s = await setup();
      await s.desk.suggestOffers({ customerId: s.aya.id }, { record: true });
      const mine = await s.call('GET', '/offers', 'aya');
      expect(mine.body.items.length).toBe(1);
      expect(mine.body.items[0]).not.toHaveProperty('score');
      expect((await s.call('GET', '/offers', 'ben')).body.items).toEqual([]);
      const offerId = mine.body.items[0].id as string;
      expect((await s.call('POST', `/offers/${offerId}/answer`, 'ben', { answer: 'accepted' })).status).toBe(404);
      expect((await s.call('POST', `/offers/${offerId}/answer`, 'aya', { answer: 'accepted' })).body.status).toBe('accepted');
      const draft = await s.desk.createArticle({ title: 'Reset your router', body: 'Hold the reset button for ten seconds until the light blinks.', locale: 'en' });
      expect((await s.call('GET', `/articles/${draft.id}`, 'aya')).status).toBe(404);
      expect((await s.call('GET', `/articles/${draft.id}`, 'agent')).status).toBe(200);
      await s.desk.publishArticle(draft.id);
      expect((await s.call('GET', `/articles/${draft.id}`, 'aya')).status).toBe(200);
      const hits = await s.call('GET', '/articles/search?q=router%20reset%20button', 'aya');
      expect(hits.body[0].article.id).toBe(draft.id);
      expect((await s.call('GET', '/articles', 'aya')).body.items.map((a: { id: string }) => a.id)).toEqual([draft.id]);
      const fb = await s.call('POST', `/articles/${draft.id}/feedback`, 'aya', { helpful: true });
      expect(fb.status).toBe(200);
    });
  });

  describe('HTTP API: agents and back-ends', () => {
    it('registers and finds customers, with ISO instants decoded into the domain and back', async () => {
      const s = await setup();
      const r = await s.call('POST', '/customers', 'system', { kind: 'external', displayName: 'Chika', contacts: [{ channel: 'email', address: 'Chika@Example.com' }], purchases: [{ sku: 'care', at: '2026-11-30T10:00:00+09:00' }] });
      expect(r.status).toBe(201);
      expect(r.body.purchases[0].at).toBe('2026-11-30T01:00:00.000Z');
      expect((await s.desk.getCustomer(r.body.id)).purchases[0]?.at).toBeInstanceOf(Date);
      const found = await s.call('GET', '/customers?email=chika%40example.com', 'agent');
      expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([r.body.id]);
      expect((await s.call('GET', '/customers?email=nobody%40example.com', 'agent')).body).toEqual({ items: [], nextCursor: null, next: null });
      const bad = await s.call('POST', '/customers', 'system', { kind: 'external', displayName: 'D', purchases: [{ sku: 'care', at: 'yesterday' }] });
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0].pointer).toBe('/purchases/0/at');
      const taken = await s.call('POST', '/customers', 'system', { kind: 'external', displayName: 'Aya again', contacts: [{ channel: 'email', address: 'aya@example.com' }] });
      expect(taken).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
      const patched = await s.call('PATCH', `/customers/${r.body.id}`, 'agent', { displayName: 'Chika Mori' }, { 'if-match': r.headers.get('etag') as string });
      expect(patched).toMatchObject({ status: 200, body: { displayName: 'Chika Mori', version: 2 } });
      expect(patched.headers.get('etag')).toBe('"2"');
      expect((await s.call('PATCH', `/customers/${r.body.id}`, 'agent', { displayName: 'Stale' }, { 'if-match': '"1"' })).status).toBe(412);
      expect((await s.call('GET', `/customers/${r.body.id}`, 'agent')).body.displayName).toBe('Chika Mori');
    });

    it('moves a ticket through every action, as the authenticated agent', async () => {
      const s = await setup();
      const team = await s.desk.registerTeam({ name: 'Network' });
      const { body: t } = await s.call('POST', '/tickets', 'agent', { requesterId: s.aya.id, subject: 'Line down', channel: 'phone' });
      const id = t.id as string;
      const assigned = await s.call('POST', `/tickets/${id}/assign`, 'agent', { agentId: s.agent.id, reason: 'mine' });
      expect(assigned.body.ticket.assigneeId).toBe(s.agent.id);
      const held = await s.call('POST', `/tickets/${id}/hold`, 'agent', { reason: 'asking the carrier', consent: { granted: true } });
      expect(held.body).toMatchObject({ held: true, ticket: { status: 'on_hold' } });
      expect((await s.call('POST', `/tickets/${id}/resume`, 'agent', {})).body.ticket.status).not.toBe('on_hold');
      const moved = await s.call('POST', `/tickets/${id}/transfer`, 'agent', { to: { teamId: team.id }, consent: { granted: true }, reason: 'network fault' });
      expect(moved.body).toMatchObject({ transferred: true, ticket: { teamId: team.id } });
      expect((await s.call('PATCH', `/tickets/${id}`, 'agent', { priority: 'high', reason: 'outage' })).body.priority).toBe('high');
      expect((await s.call('PATCH', `/tickets/${id}`, 'agent', { addTags: ['outage'] })).body.tags).toContain('outage');
      expect((await s.call('PATCH', `/tickets/${id}`, 'agent', { priority: 'low', addTags: ['x'] })).status).toBe(422);
      expect((await s.call('GET', `/tickets/${id}/sla`, 'agent')).body.metrics[0]).toMatchObject({ metric: 'first_response', policyId: 'std' });
      expect((await s.call('POST', `/tickets/${id}/resolve`, 'agent', { summary: 'Carrier fixed the line' })).body.ticket.status).toBe('resolved');
      expect((await s.call('POST', `/tickets/${id}/reopen`, 'agent', { reason: 'down again' })).body).toMatchObject({ followUp: false, ticket: { status: 'open' } });
      const closed = await s.call('POST', `/tickets/${id}/close`, 'agent', { reason: 'duplicate', note: 'see the outage ticket' });
      expect(closed.body.ticket.status).toBe('closed');
      expect((await s.call('POST', `/tickets/${id}/resolve`, 'agent', { summary: 'again' })).body).toMatchObject({ status: 409, code: 'INVALID_TRANSITION' });
      const audit = await s.call('GET', `/tickets/${id}/audit?limit=100`, 'agent');
      expect(audit.body.items.every((a: { actor: { kind: string } }) => a.actor.kind === 'agent')).toBe(true);
      expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['assign', 'hold', 'transfer', 'resolve', 'reopen', 'close']));
      expect((await s.call('POST', '/tickets', 'agent', { requesterId: s.aya.id, subject: 'x', channel: 'phone', by: { kind: 'system' } })).body.errors[0].pointer).toBe('');
    });

    it('registers, lists, reads and changes organisations, and shares their tickets in the portal only when told', async () => {
      const s = await setup({ api: { portal: { organizationTickets: true } } });
      const made = await s.call('POST', '/organizations', 'agent', { kind: 'external', name: 'Example Inc.', domains: ['example.com'], tier: 'gold' });
      expect(made.status).toBe(201);
      expect(made.headers.get('location')).toBe(`/organizations/${made.body.id}`);
      const org = made.body.id as string;
      expect((await s.call('GET', '/organizations?kind=external', 'agent')).body.items.map((o: { id: string }) => o.id)).toEqual([org]);
      const read = await s.call('GET', `/organizations/${org}`, 'agent');
      expect(read.headers.get('etag')).toBe('"1"');
      expect((await s.call('PATCH', `/organizations/${org}`, 'agent', { tier: 'platinum' }, { 'if-match': '"1"' })).body).toMatchObject({ tier: 'platinum', version: 2 });
      expect((await s.call('PATCH', `/organizations/${org}`, 'agent', { tier: 'x' }, { 'if-match': '"1"' })).status).toBe(412);
      expect((await s.call('GET', `/organizations/${org}`, 'aya')).status).toBe(403);
      // Aya and Ben registered before the organisation: they join it by a change.
      for (const c of [s.aya, s.ben]) await s.desk.updateCustomer(c.id, { organizationIds: [org as never] });
      const { body: t } = await s.call('POST', '/tickets', 'aya', { subject: 'Our invoices', description: 'For the whole team' });
      expect((await s.call('GET', `/tickets/${t.id}`, 'ben')).status).toBe(200);
      expect((await s.call('POST', `/tickets/${t.id}/interactions`, 'ben', { body: 'Same for me' })).status).toBe(201);
      const shared = await s.call('GET', `/tickets?organizationId=${org}`, 'ben');
      expect(shared.body.items.map((x: { id: string }) => x.id)).toEqual([t.id]);
      expect((await s.call('GET', '/tickets', 'ben')).body.items).toEqual([]);
      expect((await s.call('GET', '/tickets?organizationId=org_other', 'ben')).status).toBe(403);
      const closed = await setup();
      await closed.desk.registerOrganization({ kind: 'external', name: 'X', domains: ['example.com'] });
      expect((await closed.call('GET', '/tickets?organizationId=org_0001', 'aya')).status).toBe(403);
    });

    it('exports and erases a customer’s data', async () => {
      const s = await setup();
      await s.call('POST', '/tickets', 'aya', { subject: 'Secret plans', description: 'My address is 1-2-3 Ginza' });
      const exported = await s.call('GET', `/customers/${s.aya.id}/export`, 'agent');
      expect(exported.body).toMatchObject({ format: 'omotenashi.customer-export/1', customer: { id: s.aya.id }, tickets: [{ ticket: { subject: 'Secret plans' } }] });
      expect((await s.call('GET', `/customers/${s.aya.id}/export`, 'aya')).status).toBe(403);
      const erased = await s.call('POST', `/customers/${s.aya.id}/erase`, 'agent', { reason: 'the customer asked' });
      expect(erased.body).toMatchObject({ erased: true, tickets: 1, by: { kind: 'agent', id: s.agent.id } });
      expect(JSON.stringify((await s.call('GET', `/customers/${s.aya.id}/export`, 'agent')).body)).not.toMatch(/Ginza|Secret plans|aya@example.com/);
      expect((await s.call('POST', `/customers/${s.aya.id}/erase`, 'agent', {})).status).toBe(422);
    });

    it('edits several fields in one PATCH, and merges, splits, opens children and links tickets', async () => {
      const s = await setup();
      const { body: a } = await s.call('POST', '/tickets', 'agent', { requesterId: s.aya.id, subject: 'Invoice wrong', channel: 'email', description: 'The invoice total is wrong.' });
      const { body: b } = await s.call('POST', '/tickets', 'agent', { requesterId: s.aya.id, subject: 'Invoice total', channel: 'chat', description: 'Same invoice again.' });
      const edited = await s.call('PATCH', `/tickets/${a.id}`, 'agent', { subject: 'Invoice total wrong', type: 'complaint', priority: 'high', customFields: { invoice: 'INV-7' }, dueAt: '2026-04-03T09:00:00+09:00' }, { 'if-match': '"1"' });
      expect(edited.body).toMatchObject({ subject: 'Invoice total wrong', type: 'complaint', priority: 'high', customFields: { invoice: 'INV-7' }, dueAt: '2026-04-03T00:00:00.000Z', version: 2 });
      expect((await s.call('PATCH', `/tickets/${a.id}`, 'agent', { subject: 'x', status: 'open' })).status).toBe(422);
      const merged = await s.call('POST', `/tickets/${b.id}/merge`, 'agent', { targetId: a.id, reason: 'same invoice' });
      expect(merged.body).toMatchObject({ merged: true, source: { status: 'closed', closure: { reason: 'merged' } }, target: { id: a.id } });
      const seen = await s.call('GET', `/tickets/${a.id}/interactions?limit=100`, 'agent');
      expect(seen.body.items.map((i: { ticketId: string }) => i.ticketId)).toContain(b.id);
      const mine = await s.call('GET', `/tickets/${a.id}/interactions?limit=100`, 'aya');
      expect(mine.body.items.every((i: { ticketId?: string; body?: string }) => i.body !== 'Same invoice again.')).toBe(true);
      const first = seen.body.items.find((i: { ticketId: string }) => i.ticketId === a.id);
      const split = await s.call('POST', `/tickets/${a.id}/split`, 'agent', { interactionIds: [first.id], subject: 'Second matter' });
      expect(split.status).toBe(201);
      expect(split.headers.get('location')).toBe(`/tickets/${split.body.ticket.id}`);
      const child = await s.call('POST', `/tickets/${a.id}/children`, 'agent', { subject: 'Billing to re-issue', waitForChildren: true });
      expect(child.body).toMatchObject({ parent: { status: 'on_hold' }, child: { links: [{ type: 'parent', ticketId: a.id }] } });
      const linked = await s.call('POST', `/tickets/${split.body.ticket.id}/links`, 'agent', { ticketId: b.id, type: 'related' });
      expect(linked.body.links.map((l: { type: string }) => l.type)).toEqual(['split_from', 'related']);
      const list = await s.call('GET', `/tickets/${a.id}/links?type=child`, 'agent');
      expect(list.body.map((l: { ticket: { id: string } }) => l.ticket.id)).toEqual([child.body.child.id]);
      const unlinked = await s.call('DELETE', `/tickets/${split.body.ticket.id}/links/related/${b.id}`, 'agent', null);
      expect(unlinked.body.links.map((l: { type: string }) => l.type)).toEqual(['split_from']);
      expect((await s.call('DELETE', `/tickets/${a.id}/links/merged_from/${b.id}`, 'agent', null)).status).toBe(422);
      expect((await s.call('POST', `/tickets/${a.id}/merge`, 'aya', { targetId: b.id })).status).toBe(403);
    });

    it('pages every list with cursors and next links, within the page-size cap', async () => {
      const s = await setup({ api: { pageSize: { default: 2, max: 3 } } });
      for (let i = 0; i < 5; i++) await s.call('POST', '/tickets', 'agent', { requesterId: s.aya.id, subject: `T${i}`, channel: 'email' });
      const first = await s.call('GET', '/tickets', 'agent');
      expect(first.body.items).toHaveLength(2);
      expect(first.headers.get('link')).toBe(`<${first.body.next}>; rel="next"`);
      const second = await s.call('GET', new URL(first.body.next).pathname + new URL(first.body.next).search, 'agent');
      expect(second.body.items.map((t: { subject: string }) => t.subject)).toEqual(['T2', 'T3']);
      expect((await s.call('GET', '/tickets?limit=100', 'agent')).body.items).toHaveLength(3);
      expect((await s.call('GET', '/tickets?status=new,open&limit=3', 'agent')).body.items).toHaveLength(3);
      expect((await s.call('GET', '/tickets?status=lost', 'agent')).status).toBe(422);
      const { body: t } = await s.call('GET', '/tickets?limit=1', 'agent');
      for (let i = 0; i < 4; i++) await s.desk.recordInteraction(t.items[0].id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, body: `m${i}` });
      const a = await s.call('GET', `/tickets/${t.items[0].id}/interactions`, 'agent');
      expect(a.body.nextCursor).toBe('o2');
      const b = await s.call('GET', `/tickets/${t.items[0].id}/interactions?cursor=o2&limit=3`, 'agent');
      expect(b.body.items.map((i: { body: string }) => i.body)).toEqual(['m2', 'm3']);
      expect(b.body.next).toBeNull();
      expect((await s.call('GET', `/tickets/${t.items[0].id}/interactions?cursor=zz`, 'agent')).status).toBe(422);
    });

    it('reads notifications, metrics and the backlog', async () => {
      const s = await setup();
      const n = await s.desk.notify({ customerId: s.aya.id, template: 'update', data: { body: 'We are on it' } });
      expect((await s.call('GET', '/notifications', 'agent')).body.items.map((x: { id: string }) => x.id)).toContain(n.id);
      expect((await s.call('GET', `/notifications/${n.id}`, 'agent')).headers.get('etag')).toBe(`"${n.version}"`);
      expect((await s.call('POST', `/notifications/${n.id}/cancel`, 'agent')).body.status).toMatch(/cancelled|sent/);
      expect((await s.call('GET', '/notifications', 'aya')).status).toBe(403);
      // A message the notifier refused for good is dead-lettered; an agent sends it again.
      const refusing = { name: 'refusing', capabilities: { channels: ['sms' as const], deduplicates: false }, send: () => Promise.reject(new DeliveryError('number not in service', { retryable: false })) };
      const f = await setup({ desk: { notifiers: [refusing, s.notifier] } });
      const sms = await f.desk.registerCustomer({ kind: 'external', displayName: 'Eri', contacts: [{ channel: 'sms', number: '+819012345678' }] });
      const dead = await f.desk.notify({ customerId: sms.id, template: 'update', data: { body: 'x' }, urgent: true });
      await f.clock.advance('PT1M');
      expect((await f.desk.getNotification(dead.id)).status).toBe('failed');
      expect((await f.call('POST', `/notifications/${dead.id}/retry`, 'agent')).body.status).toBe('pending');
      expect((await f.call('POST', `/notifications/${dead.id}/cancel`, 'agent')).body.status).toBe('cancelled');
      await s.call('POST', '/tickets', 'agent', { requesterId: s.aya.id, subject: 'm', channel: 'chat' });
      const m = await s.call('GET', '/metrics?groupBy=channel&period=day', 'agent');
      expect(m.body[0]).toMatchObject({ key: { channel: 'chat' }, opened: 1 });
      expect((await s.call('GET', '/metrics/backlog?groupBy=channel', 'agent')).body[0]).toMatchObject({ open: 1 });
      expect((await s.call('GET', '/metrics?groupBy=planet', 'agent')).status).toBe(422);
    });
  });

  describe('HTTP API: errors as problem details', () => {
    it('answers 401 without credentials, 403 on a route the caller may not use, 404 for unknown routes', async () => {
      const s = await setup();
      const none = await s.call('GET', '/tickets', null);
      expect(none).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED', type: 'urn:omotenashi:error:UNAUTHENTICATED' } });
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect((await s.call('GET', '/tickets', 'mallory')).status).toBe(401);
      expect(await s.call('POST', '/customers', 'aya', { kind: 'external', displayName: 'Me' })).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
      expect((await s.call('GET', '/nowhere', 'agent')).status).toBe(404);
    });

    it('answers 400 for broken JSON, 415 for another media type, 413 past the body limit, 422 with field pointers', async () => {
      const s = await setup({ api: { maxBodyBytes: 200 } });
      expect(await s.call('POST', '/tickets', 'aya', '{"subject": ')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      expect((await s.call('POST', '/tickets', 'aya', undefined, { 'content-type': 'text/plain' })).status).toBe(422);
      const typed = await s.fetch(new Request('http://desk.test/tickets', { method: 'POST', headers: { authorization: 'Bearer aya', 'content-type': 'text/plain' }, body: 'subject=x' }));
      expect(typed.status).toBe(415);
      expect(await typed.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(await s.call('POST', '/tickets', 'aya', { subject: 'x'.repeat(300) })).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
      const chunked = await s.fetch(
        new Request('http://desk.test/tickets', {
          method: 'POST',
          headers: { authorization: 'Bearer aya', 'content-type': 'application/json' },
          body: new Blob(['{"subject":"', 'y'.repeat(500), '"}']).stream(),
          duplex: 'half',
        } as RequestInit)
      );
      expect(chunked.status).toBe(413);
      const r = await s.call('POST', '/tickets', 'aya', { subject: '' });
      expect(r).toMatchObject({ status: 422, body: { code: 'VALIDATION_FAILED', errors: [{ pointer: '/subject' }] } });
    });

    it('answers 429 when the rate-limit hook says so, with Retry-After', async () => {
      const s = await setup({ api: { rateLimit: (_r, p) => (p.kind === 'customer' ? 30 : undefined) } });
      const r = await s.call('GET', '/tickets', 'aya');
      expect(r).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
      expect(r.headers.get('retry-after')).toBe('30');
      expect((await s.call('GET', '/tickets', 'agent')).status).toBe(200);
    });

    it('answers 500 without internals and logs the failure', async () => {
      const s = await setup();
      const broken = { ...s.desk, listTickets: () => Promise.reject(new Error('connection refused at 10.0.0.7:5432')) } as ServiceDesk;
      const api = createHttpApi({ desk: broken, authenticate: () => ({ kind: 'agent', agentId: 'agt_1' }), logger: { debug() {}, info() {}, warn() {}, error: (f) => void s.logged.push(f) } });
      const r = await caller(await over(transport, (q) => api.fetch(q)), { document: api.document(), mismatches })('GET', '/tickets', 'agent');
      expect(r).toMatchObject({ status: 500, body: { code: 'INTERNAL' } });
      expect(JSON.stringify(r.body)).not.toContain('10.0.0.7');
      expect(s.logged).toHaveLength(1);
    });
  });

  describe('HTTP API: ETag and If-Match', () => {
    it('answers with the version as ETag, 304 for an unchanged If-None-Match, 412 for a stale If-Match', async () => {
      const s = await setup();
      const { body: t, headers } = await s.call('POST', '/tickets', 'aya', { subject: 'Lost parcel' });
      const etag = headers.get('etag') as string;
      expect((await s.call('GET', `/tickets/${t.id}`, 'aya')).body).toMatchObject({ id: t.id, subject: 'Lost parcel' });
      expect((await s.call('GET', `/tickets/${t.id}`, 'agent')).body).toMatchObject({ id: t.id, requesterId: s.aya.id });
      const cached = await s.fetch(new Request(`http://desk.test/tickets/${t.id}`, { headers: { authorization: 'Bearer aya', 'if-none-match': etag } }));
      expect(cached.status).toBe(304);
      const ok = await s.call('POST', `/tickets/${t.id}/interactions`, 'agent', { body: 'Looking into it' }, { 'if-match': etag });
      expect(ok.status).toBe(201);
      const stale = await s.call('POST', `/tickets/${t.id}/interactions`, 'agent', { body: 'Another answer' }, { 'if-match': etag });
      expect(stale).toMatchObject({ status: 412, body: { code: 'PRECONDITION_FAILED' } });
      expect((await s.desk.listInteractions(t.id)).map((i) => i.body)).not.toContain('Another answer');
      expect((await s.call('POST', `/tickets/${t.id}/resolve`, 'agent', { summary: 'Found it' }, { 'if-match': 'banana' })).status).toBe(412);
      expect((await s.call('POST', `/tickets/${t.id}/resolve`, 'agent', { summary: 'Found it' }, { 'if-match': ok.headers.get('etag') as string })).status).toBe(200);
    });
  });

  describe('HTTP API: Idempotency-Key', () => {
    it('replays the first response for a retry, from the desk storage (another API instance sees it)', async () => {
      const s = await setup();
      const key = { 'idempotency-key': '7c1f6f3e-1b4e-4a53-9f0e-2f1d5d0c9a11' };
      const first = await s.call('POST', '/tickets', 'aya', { subject: 'Double charge' }, key);
      const again = await s.call('POST', '/tickets', 'aya', { subject: 'Double charge' }, key);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers.get('idempotency-replayed')).toBe('true');
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      // The draft's form of the header is a structured-field string: the quoted key is the same key.
      const quoted = await s.call('POST', '/tickets', 'aya', { subject: 'Double charge' }, { 'idempotency-key': `"${key['idempotency-key']}"` });
      expect(quoted.body.id).toBe(first.body.id);
      const other = createHttpApi({ desk: s.desk, authenticate: () => ({ kind: 'customer', customerId: s.aya.id }) });
      const third = await caller(await over(transport, (r) => other.fetch(r)), { document: other.document(), mismatches })('POST', '/tickets', 'aya', { subject: 'Double charge' }, key);
      expect(third.body.id).toBe(first.body.id);
      expect((await s.desk.listTickets({ requesterId: s.aya.id })).items).toHaveLength(1);
      expect(await s.call('POST', '/tickets', 'aya', { subject: 'Something else' }, key)).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      // Keys are per caller: Ben's request with the same key is his own.
      expect((await s.call('POST', '/tickets', 'ben', { subject: 'Double charge' }, key)).body.id).not.toBe(first.body.id);
    });

    it('answers 409 while the first request runs, and runs a request again after a server failure', async () => {
      const s = await setup();
      let release!: () => void;
      let entered!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const inside = new Promise<void>((r) => (entered = r));
      let failures = 1;
      const slow = {
        ...s.desk,
        openTicket: async (...a: Parameters<ServiceDesk['openTicket']>) => {
          entered();
          await gate;
          if (failures-- > 0) throw new Error('database restarted');
          return s.desk.openTicket(...a);
        },
      } as ServiceDesk;
      const api = createHttpApi({ desk: slow, authenticate: () => ({ kind: 'customer', customerId: s.aya.id }), logger: { debug() {}, info() {}, warn() {}, error() {} } });
      const call = caller(await over(transport, (r) => api.fetch(r)), { document: api.document(), mismatches });
      const key = { 'idempotency-key': 'order-42' };
      const running = call('POST', '/tickets', 'aya', { subject: 'Where is my order?' }, key);
      // The first request holds the key once it is inside the command.
      await inside;
      const during = await call('POST', '/tickets', 'aya', { subject: 'Where is my order?' }, key);
      expect(during).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_IN_USE' } });
      release();
      expect((await running).status).toBe(500);
      const retried = await call('POST', '/tickets', 'aya', { subject: 'Where is my order?' }, key);
      expect(retried.status).toBe(201);
    });
  });

  describe('HTTP API: mounting', () => {
    it('serves under a base path, with CORS only when configured', async () => {
      const s = await setup({ api: { basePath: '/api', cors: { origins: ['https://portal.example.com'] } } });
      const call = caller(s.fetch, { document: s.api.document(), mismatches, prefix: '/api' });
      const r = await call('POST', '/api/tickets', 'aya', { subject: 'Mounted' }, { origin: 'https://portal.example.com' });
      expect(r.headers.get('location')).toBe(`/api/tickets/${r.body.id}`);
      expect(r.headers.get('access-control-allow-origin')).toBe('https://portal.example.com');
      const pre = await s.fetch(
        new Request('http://desk.test/api/tickets', { method: 'OPTIONS', headers: { origin: 'https://portal.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'idempotency-key' } })
      );
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-headers')).toContain('idempotency-key');
      const plain = await setup();
      expect((await plain.call('GET', '/tickets', 'agent', undefined, { origin: 'https://evil.example' })).headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
