import {
  ConfigError,
  createManualClock,
  createMemoryStorage,
  createSequentialIds,
  createServiceDesk,
  createSignalDetector,
  type LifecyclePolicy,
  type ServiceDeskOptions,
  type Ticket,
  type TicketStatus,
} from 'omotenashi';
import { recordEvents } from 'omotenashi/testing';

/** A desk on memory storage and a manual clock, reading signals, with a few people registered. */
export async function setup(options: Partial<Omit<ServiceDeskOptions, 'storage' | 'clock'>> & { lifecycle?: LifecyclePolicy } = {}) {
  const clock = createManualClock('2026-04-01T09:00:00+09:00');
  const storage = createMemoryStorage();
  const desk = createServiceDesk({ storage, clock, ids: createSequentialIds(), signals: createSignalDetector(), ...options });
  const frontline = await desk.registerTeam({ id: 'team_front' as never, name: 'Front desk' });
  const legal = await desk.registerTeam({ id: 'team_legal' as never, name: 'Legal', function: 'legal' });
  const outsourced = await desk.registerTeam({ name: 'Night shift (Manila)', kind: 'third_party', provider: { name: 'CallCo' } });
  const manager = await desk.registerAgent({ name: 'Mori', role: 'manager', teamIds: [frontline.id] });
  const supervisor = await desk.registerAgent({ name: 'Kato', role: 'supervisor', managerId: manager.id, teamIds: [frontline.id] });
  const agent = await desk.registerAgent({ name: 'Aiko', role: 'agent', managerId: supervisor.id, teamIds: [frontline.id], languages: ['ja', 'en'] });
  const lawyer = await desk.registerAgent({ name: 'Yamada', role: 'senior', teamIds: [legal.id] });
  const external = await desk.registerCustomer({
    kind: 'external',
    displayName: 'Tanaka Hanako',
    addressing: { form: 'formal', honorific: '様', familyName: '田中', givenName: '花子' },
    contacts: [
      { channel: 'email', address: 'hanako@example.jp' },
      { channel: 'phone', number: '+81312345678' },
    ],
    preferredChannel: 'email',
    locale: 'ja-JP',
    timeZone: 'Asia/Tokyo',
    tier: 'gold',
  });
  const internal = await desk.registerCustomer({ kind: 'internal', displayName: 'Packaging department', department: 'packaging' });
  const events = recordEvents(desk);
  return { desk, clock, storage, events, frontline, legal, outsourced, manager, supervisor, agent, lawyer, external, internal };
}

export type Setup = Awaited<ReturnType<typeof setup>>;

/** Open a ticket and drive it to `status` through the public commands. */
export async function ticketIn(s: Setup, status: TicketStatus): Promise<Ticket> {
  const { desk } = s;
  const { ticket } = await desk.openTicket({ requesterId: s.external.id, subject: 'Router drops Wi-Fi', channel: 'phone', description: 'It keeps dropping' });
  const by = { kind: 'agent' as const, id: s.agent.id };
  switch (status) {
    case 'new':
      return ticket;
    case 'open':
      return desk.assign(ticket.id, { agentId: s.agent.id, teamId: s.frontline.id }, { by });
    case 'pending_customer':
      return desk.setStatus(ticket.id, 'pending_customer', { by });
    case 'on_hold':
      return (await desk.hold(ticket.id, { reason: 'Asking the vendor', consent: { granted: true } }, { by })).ticket;
    case 'resolved':
      return desk.resolve(ticket.id, { summary: 'Firmware updated' }, { by });
    case 'closed':
      await desk.resolve(ticket.id, { summary: 'Firmware updated' }, { by });
      return desk.confirmResolution(ticket.id, { by: { kind: 'customer', id: s.external.id } });
  }
}

/** Run `fn`, expect a ConfigError, and return it for assertions on `path` and `message`. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw new Error(`expected a ConfigError, got ${String(e)}`);
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
