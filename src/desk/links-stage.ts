import { InvalidTransitionError } from '../errors.js';
import type { Ticket } from '../domain/ticket.js';
import { decideClose, decideResolve, type DecisionContext, type Step } from '../lifecycle/engine.js';
import { decideParentResume, isDone, linked } from '../lifecycle/links.js';
import { allowedTransitions } from '../lifecycle/transitions.js';
import type { Settled } from './pipeline.js';
import type { Reader } from './runtime.js';

/**
 * The parent/child part of the pipeline, once per command: a parent resolved or closed by hand
 * while children are not done is refused (or takes them with it, `cascade`); a child that is
 * done lets a parent waiting on its children resume.
 */
export function createLinksStage(openChildren: 'refuse' | 'cascade') {
  async function ticketOf(id: string, settled: Settled, read: Reader): Promise<Ticket | null> {
    return settled.finals.get(id) ?? (await read.get('ticket', id));
  }

  async function cascade(parent: Ticket, action: string, settled: Settled, read: Reader, ctx: DecisionContext): Promise<Step[]> {
    const open: Ticket[] = [];
    for (const id of linked(parent, 'child')) {
      const child = await ticketOf(id, settled, read);
      if (child !== null && !isDone(child)) open.push(child);
    }
    if (open.length === 0) return [];
    if (openChildren === 'refuse') {
      const to = action === 'resolve' ? 'resolved' : 'closed';
      throw new InvalidTransitionError({
        ticketId: parent.id,
        from: settled.bases.get(parent.id)?.status ?? parent.status,
        to,
        allowed: allowedTransitions(parent.status),
        reason: `its child tickets ${open.map((c) => c.id).join(', ')} are not done: resolve or close them first (or set createServiceDesk({ links: { openChildren: 'cascade' } }))`,
      });
    }
    return open.map((child) =>
      action === 'resolve'
        ? decideResolve(child, `resolved with its parent ${parent.id}: ${parent.resolution?.summary ?? ''}`.trim(), ctx)
        : decideClose(child, parent.closure?.reason === 'merged' || parent.closure === undefined ? 'other' : (parent.closure.reason as Parameters<typeof decideClose>[1]), ctx, `closed with its parent ${parent.id}`),
    );
  }

  async function react(settled: Settled, steps: ReadonlyArray<Step>, read: Reader, ctx: DecisionContext): Promise<Step[]> {
    const out: Step[] = [];
    const resumed = new Set<string>();
    for (const [id, final] of settled.finals) {
      const base = settled.bases.get(id) ?? null;
      if (!isDone(final) || (base !== null && isDone(base))) continue;
      const by = steps.filter((s) => s.ticket.id === id).map((s) => s.action);
      const manual = by.includes('resolve') ? 'resolve' : by.includes('close') ? 'close' : null;
      if (manual !== null) out.push(...(await cascade(final, manual, settled, read, ctx)));
      for (const parentId of linked(final, 'parent')) {
        if (resumed.has(parentId)) continue;
        const parent = await ticketOf(parentId, settled, read);
        if (parent === null) continue;
        const children: Ticket[] = [];
        for (const cid of linked(parent, 'child')) {
          const child = await ticketOf(cid, settled, read);
          if (child !== null) children.push(child);
        }
        const step = decideParentResume(parent, children, ctx);
        if (step !== null) {
          resumed.add(parentId);
          out.push(step);
        }
      }
    }
    return out;
  }

  return { react };
}

/** The parent/child part of a desk's pipeline (see {@link createLinksStage}). */
export type LinksStage = ReturnType<typeof createLinksStage>;
