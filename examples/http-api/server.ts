/**
 * The desk and its HTTP API for the example: two agents, two customers and a back-end, each with
 * a bearer token (in a real app, `authenticate` checks a session or a JWT).
 */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { defineKnowledgeBase, defineSlaConfig, attachMetrics, createMemoryStorage, createMetrics, createServiceDesk, createSignalDetector } from 'omotenashi';
import { createHttpApi, type Principal } from 'omotenashi/http';

export async function startServer(port: number) {
  const desk = createServiceDesk({
    storage: createMemoryStorage(),
    signals: createSignalDetector(),
    knowledge: defineKnowledgeBase(), // article search (GET /articles/search)
    sla: defineSlaConfig({ policies: [{ id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H', high: 'PT1H' } } } }] }),
  });
  const metrics = createMetrics({ timeZone: 'Asia/Tokyo' });
  attachMetrics(desk, metrics);
  const aiko = await desk.registerAgent({ name: 'Aiko Tanaka', email: 'aiko@desk.example' });
  const kenji = await desk.registerAgent({ name: 'Kenji Mori', email: 'kenji@desk.example' });
  const hanako = await desk.registerCustomer({ kind: 'external', displayName: 'Hanako Sato', contacts: [{ channel: 'email', address: 'hanako@example.jp' }], locale: 'ja' });
  const taro = await desk.registerCustomer({ kind: 'internal', displayName: 'Taro Ito', department: 'Accounting', contacts: [{ channel: 'email', address: 'taro@corp.example' }] });
  const people: Array<[string, string, Principal]> = [
    ['agent', aiko.name, { kind: 'agent', agentId: aiko.id }],
    ['agent', kenji.name, { kind: 'agent', agentId: kenji.id }],
    ['customer', hanako.displayName, { kind: 'customer', customerId: hanako.id }],
    ['customer', taro.displayName, { kind: 'customer', customerId: taro.id }],
    ['system', 'CRM back-end', { kind: 'system', name: 'crm' }],
  ];
  const tokens = new Map(people.map(([, , p]) => [randomBytes(12).toString('base64url'), p] as const));
  const tokenOf = (p: Principal) => [...tokens].find(([, q]) => q === p)?.[0] as string;
  const api = createHttpApi({
    desk,
    metrics,
    authenticate: (request) => {
      const m = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '');
      return m === null ? null : (tokens.get(m[1] as string) ?? null);
    },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: api.fetch, hostname: '127.0.0.1', port }, () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}`;
  return {
    url,
    desk,
    people: people.map(([role, name, p]) => ({ role, name, token: tokenOf(p) })),
    token: { aiko: tokenOf(people[0]?.[2] as Principal), hanako: tokenOf(people[2]?.[2] as Principal), taro: tokenOf(people[3]?.[2] as Principal) },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
