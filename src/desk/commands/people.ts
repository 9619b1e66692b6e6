import { NotFoundError, ValidationError } from '../../errors.js';
import { AgentInputSchema, AgentPatchSchema, TeamInputSchema, TeamPatchSchema, type Agent, type Team } from '../../domain/agent.js';
import type { AgentId, TeamId } from '../../domain/common.js';
import { deskEvent } from '../../events.js';
import type { DeskConfig } from '../config.js';
import { applyPatch, created, updated } from '../records.js';
import { everyById, type Kernel, type Reader } from '../runtime.js';
import { parse } from '../schemas.js';
import type { ServiceDesk } from '../service-desk.js';
import type { VersionCheck } from '../../ports/storage.js';
import { checkCalendar } from '../calendar-check.js';

/** The agent and team commands and queries of a desk. */
export function peopleCommands(k: Kernel, config: DeskConfig): Pick<ServiceDesk, 'registerAgent' | 'updateAgent' | 'registerTeam' | 'updateTeam' | 'getAgent' | 'listAgents' | 'getTeam' | 'listTeams'> {
  const calendars = config.sla?.calendars;
  const checkAgentCalendar = (id: string | null | undefined, subject: string): void => checkCalendar(calendars, id, subject);

  /** Refuse a reporting loop; returns the managers read, whose versions the commit must still find. */
  async function checkManagerChain(read: Reader, agentId: string, managerId: AgentId | undefined): Promise<VersionCheck[]> {
    const seen = new Set<string>([agentId]);
    const checks: VersionCheck[] = [];
    let cursor = managerId;
    while (cursor !== undefined) {
      if (seen.has(cursor)) {
        throw new ValidationError('agent', [{ path: ['managerId'], message: `reporting line loops back to "${cursor}"; pick a manager outside this agent's chain`, code: 'custom' }]);
      }
      seen.add(cursor);
      const manager = await read.load('agent', cursor);
      checks.push({ kind: 'agent', id: manager.id, version: manager.version });
      cursor = manager.managerId;
    }
    return checks;
  }

  const get = async <K extends 'agent' | 'team'>(kind: K, id: string) => {
    const found = await k.storage.get(kind, id);
    if (found === null) throw new NotFoundError(kind, id);
    return found;
  };

  return {
    async registerAgent(input, options) {
      const actor = k.actorOf(options);
      const data = parse(AgentInputSchema, input, 'registerAgent input');
      checkAgentCalendar(data.calendar, 'registerAgent input');
      return k.run(async (read) => {
        if (data.managerId !== undefined) await read.load('agent', data.managerId);
        for (const t of data.teamIds) await read.load('team', t);
        const now = k.now();
        const agent = { ...data, id: (data.id ?? k.newId('agt')) as AgentId, version: 1, createdAt: now, updatedAt: now } as Agent;
        return created('agent', agent, [deskEvent('agent.registered', { agent, at: now, actor })]);
      }, false);
    },

    async updateAgent(id, patch, options) {
      const actor = k.actorOf(options);
      const data = parse(AgentPatchSchema, patch, 'updateAgent patch');
      checkAgentCalendar(data.calendar, 'updateAgent patch');
      return k.run(async (read) => {
        const current = await read.load('agent', id);
        // Two concurrent changes (X reports to Y, Y to X) each see no loop: the managers read are
        // checked again at commit, so one of them loses the race and is decided again.
        const checks = data.managerId !== undefined && data.managerId !== null ? await checkManagerChain(read, id, data.managerId) : [];
        if (data.teamIds !== undefined) for (const t of data.teamIds) await read.load('team', t);
        const now = k.now();
        const outcome = updated('agent', current, applyPatch(current, data), now, (saved, changes) => [deskEvent('agent.updated', { agent: saved, previous: current, changes, at: now, actor })]);
        return outcome.work === null || checks.length === 0 ? outcome : { ...outcome, work: { ...outcome.work, checks } };
      }, true);
    },

    async registerTeam(input, options) {
      const actor = k.actorOf(options);
      const data = parse(TeamInputSchema, input, 'registerTeam input');
      checkCalendar(calendars, data.calendar, 'registerTeam input');
      return k.run(async (read) => {
        if (data.leadId !== undefined) await read.load('agent', data.leadId);
        const now = k.now();
        const team = { ...data, id: (data.id ?? k.newId('team')) as TeamId, version: 1, createdAt: now, updatedAt: now } as Team;
        return created('team', team, [deskEvent('team.registered', { team, at: now, actor })]);
      }, false);
    },

    async updateTeam(id, patch, options) {
      const actor = k.actorOf(options);
      const data = parse(TeamPatchSchema, patch, 'updateTeam patch');
      checkCalendar(calendars, data.calendar, 'updateTeam patch');
      return k.run(async (read) => {
        const current = await read.load('team', id);
        if (data.leadId !== undefined && data.leadId !== null) await read.load('agent', data.leadId);
        const team = applyPatch(current, data);
        if (team.kind !== 'in_house' && team.provider === undefined) {
          throw new ValidationError('updateTeam patch', [{ path: ['provider'], message: 'third-party and independent teams need a provider ({ name })', code: 'custom' }]);
        }
        const now = k.now();
        return updated('team', current, team, now, (saved, changes) => [deskEvent('team.updated', { team: saved, previous: current, changes, at: now, actor })]);
      }, true);
    },

    getAgent: (id) => get('agent', id),
    listAgents: () => everyById(k.storage, 'agent'),
    getTeam: (id) => get('team', id),
    listTeams: () => everyById(k.storage, 'team'),
  };
}
