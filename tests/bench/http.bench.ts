import { bench, describe } from 'vitest';
import { createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk } from 'omotenashi';
import { Hono } from 'hono';
import { createHttpApi } from 'omotenashi/http';

// The HTTP layer against the desk call it wraps, in the same run, on the memory storage: reading
// a ticket, and adding an agent's reply. The API adds authentication, routing (Hono), parsing the
// JSON body into the domain's types, the access checks and the JSON response; the direct calls
// include JSON.stringify of the result, which any transport pays. Target: at most 1.5×.
// A second baseline is the floor of any Web-standard handler on Node 20: a bare Hono route that
// makes the same desk call and answers c.json(), so Request/Response objects (undici) and the
// router are paid on both sides and the ratio to it is what omotenashi/http itself adds.
const clock = createManualClock('2026-12-01T09:00:00+09:00');
const desk = createServiceDesk({ storage: createMemoryStorage(), clock, ids: createSequentialIds(6) });
const agent = await desk.registerAgent({ name: 'Aiko' });
const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Aya', contacts: [{ channel: 'email', address: 'aya@example.com' }] });
const principal = { kind: 'agent' as const, agentId: agent.id };
const api = createHttpApi({ desk, authenticate: (r) => (r.headers.get('authorization') === 'Bearer t' ? principal : null) });
const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Router blinks red', channel: 'email', description: 'Since this morning.' });
// Replies go to tickets of their own per side, so both histories grow alike.
const viaApi = (await desk.openTicket({ requesterId: customer.id, subject: 'api', channel: 'email' })).ticket;
const direct = (await desk.openTicket({ requesterId: customer.id, subject: 'direct', channel: 'email' })).ticket;
const url = `http://desk.test/tickets/${ticket.id}`;
const bare = new Hono();
bare.get('/tickets/:id', async (c) => c.json(await desk.getTicket(c.req.param('id') as typeof ticket.id)));
bare.post('/tickets/:id/interactions', async (c) => {
  const body = (await c.req.json()) as { body: string };
  return c.json(await desk.recordInteraction(c.req.param('id') as typeof ticket.id, { channel: 'email', author: { kind: 'agent', id: agent.id }, body: body.body }, { by: { kind: 'agent', id: agent.id } }), 201);
});
const floor = (await desk.openTicket({ requesterId: customer.id, subject: 'floor', channel: 'email' })).ticket;
const reply = JSON.stringify({ body: 'Could you restart it and tell me what the light does?' });

describe('HTTP API: GET /tickets/{id}', () => {
  bench('baseline: desk.getTicket + JSON.stringify', async () => {
    JSON.stringify(await desk.getTicket(ticket.id));
  });
  bench('floor: a bare Hono route with the same call', async () => {
    const r = await bare.fetch(new Request(url));
    await r.text();
  });
  bench('omotenashi/http: api.fetch(GET /tickets/{id})', async () => {
    const r = await api.fetch(new Request(url, { headers: { authorization: 'Bearer t' } }));
    if (r.status !== 200) throw new Error(String(r.status));
    await r.text();
  });
});

describe('HTTP API: POST /tickets/{id}/interactions', () => {
  bench('baseline: desk.recordInteraction + JSON.stringify', async () => {
    JSON.stringify(await desk.recordInteraction(direct.id, { channel: 'email', author: { kind: 'agent', id: agent.id }, body: 'Could you restart it and tell me what the light does?' }, { by: { kind: 'agent', id: agent.id } }));
  });
  bench('floor: a bare Hono route with the same call', async () => {
    const r = await bare.fetch(new Request(`http://desk.test/tickets/${floor.id}/interactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: reply }));
    await r.text();
  });
  bench('omotenashi/http: api.fetch(POST /tickets/{id}/interactions)', async () => {
    const r = await api.fetch(new Request(`http://desk.test/tickets/${viaApi.id}/interactions`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: reply }));
    if (r.status !== 201) throw new Error(String(r.status));
    await r.text();
  });
});
