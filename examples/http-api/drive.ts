/** A client of the example's API, with plain fetch: what a portal or an agent's app does. */
/** The fields of the answers this client reads. */
interface TicketView {
  readonly id: string;
  readonly subject: string;
  readonly status: string;
  readonly priority?: string;
}
interface Problem {
  readonly code: string;
  readonly detail: string;
}

export async function drive(url: string, token: { aiko: string; hanako: string; taro: string }, log: (line: string) => void) {
  const call = async <T>(who: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${who}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? null : JSON.stringify(body) });
    const json = (await r.json()) as T;
    return { status: r.status, etag: r.headers.get('etag'), json };
  };

  const opened = await call<TicketView>(token.hanako, 'POST', '/tickets', { subject: 'ルーターのランプが赤く点滅しています', description: '今朝から繋がりません。' }, { 'idempotency-key': crypto.randomUUID() });
  log(`Hanako (customer) opens a ticket: ${opened.status}, ${opened.json.id} "${opened.json.subject}" (${opened.json.status}), ETag ${opened.etag}`);
  const id = opened.json.id;

  const answered = await call<{ ticket: TicketView }>(token.aiko, 'POST', `/tickets/${id}/interactions`, { body: 'ご不便をおかけしております。電源を30秒抜いてから入れ直していただけますか。', setStatus: 'pending_customer' }, { 'if-match': opened.etag as string });
  log(`Aiko (agent) answers with If-Match ${opened.etag}: ${answered.status}, the ticket is now ${answered.json.ticket.status}, ETag ${answered.etag}`);

  const note = await call<unknown>(token.aiko, 'POST', `/tickets/${id}/interactions`, { body: 'Line check booked with the carrier.', kind: 'note', visibility: 'internal' });
  log(`Aiko adds an internal note: ${note.status}`);

  const seen = await call<{ items: unknown[] }>(token.hanako, 'GET', `/tickets/${id}/interactions`);
  log(`Hanako reads her ticket's messages: ${seen.json.items.length} (the internal note is not among them)`);

  const stranger = await call<Problem>(token.taro, 'GET', `/tickets/${id}`);
  log(`Taro (another customer) asks for Hanako's ticket: ${stranger.status} ${stranger.json.code} — the same answer as for a ticket that does not exist`);

  const stale = await call<Problem>(token.aiko, 'PATCH', `/tickets/${id}`, { priority: 'high' }, { 'if-match': opened.etag as string });
  log(`Aiko changes the priority with the stale ETag ${opened.etag}: ${stale.status} ${stale.json.code}: ${stale.json.detail}`);

  const fresh = await call<TicketView>(token.aiko, 'GET', `/tickets/${id}`);
  const patched = await call<TicketView>(token.aiko, 'PATCH', `/tickets/${id}`, { priority: 'high', reason: 'no connection at all' }, { 'if-match': fresh.etag as string });
  log(`…and again with the fresh ETag ${fresh.etag}: ${patched.status}, priority ${patched.json.priority}`);

  const sla = await call<{ metrics: Array<{ metric: string; state: string; targetMs: number }> }>(token.aiko, 'GET', `/tickets/${id}/sla`);
  const clock = sla.json.metrics[0];
  if (clock === undefined) throw new Error('the ticket has no SLA clock');
  log(`The first-response clock: ${clock.metric} ${clock.state}, target ${clock.targetMs / 60_000} min`);
  return { id, statuses: [opened.status, answered.status, stranger.status, stale.status, patched.status] };
}
