import * as z from 'zod';
import { AgentIdSchema, ChannelSchema, LocaleSchema, TeamIdSchema, TimeZoneSchema } from './common.js';
import { AgentRoutingStateSchema, OutOfOfficeSchema, PresenceSchema } from './routing.js';

/**
 * The escalation hierarchy, lowest first: an agent hands a difficult case to a senior, then a
 * supervisor, then a manager. `HIERARCHY_LEVELS.indexOf(role)` is the numeric level.
 */
export const HIERARCHY_LEVELS = ['agent', 'senior', 'supervisor', 'manager'] as const;
/** Schema of an {@link AgentRole}. */
export const AgentRoleSchema = z.enum(HIERARCHY_LEVELS);
/** A rung of the escalation hierarchy. */
export type AgentRole = z.infer<typeof AgentRoleSchema>;

// Patches are built from these default-free fields: a default in a patch would silently reset a field.
const agentPatchFields = {
  name: z.string().trim().min(1, 'an agent needs a name').max(200),
  email: z.email('must be a valid e-mail address'),
  role: AgentRoleSchema,
  /** Who this agent reports to: the next rung when escalating hierarchically. */
  managerId: AgentIdSchema,
  teamIds: z.array(TeamIdSchema),
  skills: z.array(z.string().trim().min(1)),
  languages: z.array(LocaleSchema),
  channels: z.array(ChannelSchema),
  timeZone: TimeZoneSchema,
  /** Working hours: a calendar id from the desk's SLA calendars; non-urgent notifications wait for them. */
  calendar: z.string().min(1),
  active: z.boolean(),
};

const agentFields = {
  ...agentPatchFields,
  email: agentPatchFields.email.optional(),
  role: agentPatchFields.role.default('agent'),
  managerId: agentPatchFields.managerId.optional(),
  teamIds: agentPatchFields.teamIds.default([]),
  skills: agentPatchFields.skills.default([]),
  languages: agentPatchFields.languages.default([]),
  channels: agentPatchFields.channels.default([]),
  timeZone: agentPatchFields.timeZone.optional(),
  calendar: agentPatchFields.calendar.optional(),
  active: agentPatchFields.active.default(true),
};

/** Input of `registerAgent`. */
export const AgentInputSchema = z.object({ id: AgentIdSchema.optional(), ...agentFields });
/** Input of `registerAgent`. */
export interface AgentInput extends z.input<typeof AgentInputSchema> {}

/** Schema of a stored agent. */
export const AgentSchema = z.object({
  id: AgentIdSchema,
  version: z.number().int().positive(),
  ...agentFields,
  /** Online, away or offline, as `setAgentStatus` last set it (absent: online). */
  presence: PresenceSchema.optional(),
  /** Periods out of office: routing gives the agent nothing within them. */
  outOfOffice: z.array(OutOfOfficeSchema).optional(),
  /** What routing remembers: tickets received, and when the last one came. */
  routing: AgentRoutingStateSchema.optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A person who handles tickets, with their rung in the hierarchy, skills, languages and channels. */
export interface Agent extends z.infer<typeof AgentSchema> {}

/** Input of `updateAgent`: only the fields to change; `null` clears an optional field. */
export const AgentPatchSchema = z
  .object({ ...agentPatchFields, email: agentPatchFields.email.nullable(), managerId: AgentIdSchema.nullable(), timeZone: TimeZoneSchema.nullable(), calendar: agentPatchFields.calendar.nullable() })
  .partial()
  .strict();
/** Input of `updateAgent`. */
export interface AgentPatch extends z.input<typeof AgentPatchSchema> {}

/** Who runs a team: the organisation itself, an outsourced provider, or an independent one. */
export const TeamKindSchema = z.enum(['in_house', 'third_party', 'independent']);
/** Who runs a team. */
export type TeamKind = z.infer<typeof TeamKindSchema>;

const teamPatchFields = {
  name: z.string().trim().min(1, 'a team needs a name').max(200),
  kind: TeamKindSchema,
  /**
   * The function the team serves, for functional escalation: `frontline`, `legal`, `billing`,
   * `technical`, `security`, or any department name (`packaging`, `product`).
   */
  function: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a snake_case word such as "legal" or "billing"'),
  leadId: AgentIdSchema,
  /** For third-party and independent teams: the provider and how it is monitored. */
  provider: z.object({ name: z.string().trim().min(1), contract: z.string().optional() }),
  /**
   * The business calendar the team works on (a name in the SLA configuration): while it has a
   * ticket, the clocks that take the team's calendar count on it (see `CALENDAR_ORDER`).
   */
  calendar: z.string().trim().min(1).max(100),
};

const teamFields = {
  ...teamPatchFields,
  kind: teamPatchFields.kind.default('in_house'),
  function: teamPatchFields.function.default('frontline'),
  leadId: teamPatchFields.leadId.optional(),
  provider: teamPatchFields.provider.optional(),
  calendar: teamPatchFields.calendar.optional(),
};

/** Input of `registerTeam`. */
export const TeamInputSchema = z
  .object({ id: TeamIdSchema.optional(), ...teamFields })
  .refine((t) => t.kind === 'in_house' || t.provider !== undefined, {
    path: ['provider'],
    message: 'third-party and independent teams need a provider ({ name })',
  });
/** Input of `registerTeam`. */
export interface TeamInput extends z.input<typeof TeamInputSchema> {}

/** Schema of a stored team. */
export const TeamSchema = z.object({
  id: TeamIdSchema,
  version: z.number().int().positive(),
  ...teamFields,
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A team: in-house, third-party or independent, serving the front line or a function. */
export interface Team extends z.infer<typeof TeamSchema> {}

/** Input of `updateTeam`: only the fields to change; `null` clears an optional field. */
export const TeamPatchSchema = z
  .object({ ...teamPatchFields, leadId: AgentIdSchema.nullable(), provider: teamPatchFields.provider.nullable(), calendar: teamPatchFields.calendar.nullable() })
  .partial()
  .strict();
/** Input of `updateTeam`. */
export interface TeamPatch extends z.input<typeof TeamPatchSchema> {}
