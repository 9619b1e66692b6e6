import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { AgentRoleSchema, type Agent } from '../domain/agent.js';
import { DurationSchema, toMillis } from '../domain/common.js';
import type { Interaction } from '../domain/interaction.js';
import type { Ticket } from '../domain/ticket.js';
import type { Condition } from '../rules/condition.js';
import type { EscalationRuleInput } from './rules.js';

/** Schema of an {@link AgentLimitInput}. */
export const AgentLimitSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'use letters, digits, "_", "-" or "."'),
    /** Whose limit it is: agents of a role, or one agent; absent = everyone. */
    appliesTo: z.union([z.object({ role: AgentRoleSchema }).strict(), z.object({ agentId: z.string().min(1) }).strict()]).optional(),
    /** Most hostile customer messages (angry, abusive, threatening) the holder should take on one ticket. */
    hostility: z.number().int().positive().optional(),
    /** Highest complexity: contacts + 2 × reopens + transfers. */
    complexity: z.number().int().positive().optional(),
    /** Most time spent with the customer on one ticket (agents' calls and meetings). */
    timeWithCustomer: DurationSchema.optional(),
  })
  .strict()
  .refine((l) => l.hostility !== undefined || l.complexity !== undefined || l.timeWithCustomer !== undefined, 'set at least one of hostility, complexity, timeWithCustomer');
/**
 * A personal limit for difficult customers, from the source texts: set by the hostility met, the
 * complexity of the problem, or the time spent with the same customer. Passing it hands the
 * ticket to the next level, with the reason. Limits are known to colleagues and supervisors.
 */
export type AgentLimitInput = z.input<typeof AgentLimitSchema>;

/** The id prefix of rules generated from agent limits (reserved: users' rules may not use it). */
export const LIMIT_RULE_PREFIX = 'limit.';

/** Turn agent limits into escalation rules (one per limit and measure), so they share the rule machinery. */
export function agentLimitRules(limits: ReadonlyArray<AgentLimitInput>): EscalationRuleInput[] {
  const parsed = z.array(AgentLimitSchema).safeParse(limits);
  if (!parsed.success) throw ConfigError.fromZod('agentLimits', parsed.error);
  const rules: EscalationRuleInput[] = [];
  for (const limit of parsed.data) {
    const who: Condition[] =
      limit.appliesTo === undefined
        ? [{ fact: 'assignee.id', op: 'exists' }]
        : 'role' in limit.appliesTo
          ? [{ fact: 'assignee.role', op: 'eq', value: limit.appliesTo.role }]
          : [{ fact: 'assignee.id', op: 'eq', value: limit.appliesTo.agentId }];
    const measures: Array<[string, Condition]> = [];
    if (limit.hostility !== undefined) measures.push(['hostility', { fact: 'ticket.hostility', op: 'gt', value: limit.hostility }]);
    if (limit.complexity !== undefined) measures.push(['complexity', { fact: 'ticket.complexity', op: 'gt', value: limit.complexity }]);
    if (limit.timeWithCustomer !== undefined) measures.push(['time', { fact: 'ticket.handlingMs', op: 'gt', value: toMillis(limit.timeWithCustomer, `agentLimits(${limit.id}).timeWithCustomer`) }]);
    for (const [measure, over] of measures) {
      rules.push({
        id: `${LIMIT_RULE_PREFIX}${limit.id}.${measure}`,
        name: `Agent limit "${limit.id}": ${measure}`,
        trigger: { on: 'interaction.received' },
        condition: { all: [...who, over] },
        actions: [{ type: 'escalate', to: 'next_level' }],
        // Again for the next holder, once the ticket has moved to someone this limit does not cover.
        mode: 'rearm',
      });
    }
  }
  return rules;
}

/** The facts agent limits read: the holder, and hostility, complexity and handling time on the ticket. */
export function limitFacts(ticket: Ticket, interactions: ReadonlyArray<Interaction>, agents: ReadonlyArray<Agent>): { assignee?: { id: string; role: string }; ticket: { hostility: number; complexity: number; handlingMs: number } } {
  const holder = ticket.assigneeId === undefined ? undefined : agents.find((a) => a.id === ticket.assigneeId);
  const hostility = interactions.filter(
    (i) => i.author.kind === 'customer' && i.signals.some((s) => !s.negated && (s.kind === 'abuse' || s.kind === 'physical_threat' || (s.kind === 'emotion' && s.label === 'angry'))),
  ).length;
  const handlingMs = interactions.filter((i) => i.author.kind === 'agent' && (i.kind === 'call' || i.kind === 'meeting')).reduce((sum, i) => sum + (i.durationMs ?? 0), 0);
  const c = ticket.counters;
  return {
    ...(holder === undefined ? {} : { assignee: { id: holder.id, role: holder.role } }),
    ticket: { hostility, complexity: c.contacts + 2 * c.reopens + c.transfers, handlingMs },
  };
}
