import * as z from 'zod';
import { ValidationError } from '../errors.js';
import { ActorSchema, LocaleSchema } from '../domain/common.js';
import { LIMITS } from '../domain/limits.js';
import { checkLimits } from './limits.js';
import type { ServiceDesk } from './service-desk.js';
import type { Tracer } from '../ports/tracer.js';
import { methodAttributes, traced } from './tracing.js';

type Arg = readonly [name: string, schema: z.ZodType | null];

// `null`: the command parses this argument with its own schema (and its own messages); the
// limits still apply to it.
const input = (name: string): Arg => [name, null];
const id = (name: string): Arg => [name, z.string({ error: `must be a string (the ${name})` }).min(1, `the ${name} is empty`).max(LIMITS.id)];
const note = z.string({ error: 'must be a string' }).max(LIMITS.note);
const by = ActorSchema.optional();
const expectedVersion = z.number().int().positive().optional();
const options = (extra: z.ZodRawShape = {}): Arg => ['options', z.object({ by, ...extra }).strict().optional()];
const ticketOptions = (extra: z.ZodRawShape = {}): Arg => options({ expectedVersion, ...extra });
const withReason = ticketOptions({ reason: note.optional() });
const query = input('query');

/**
 * The arguments of every desk method, by position, checked before the method runs: ids are
 * non-empty bounded strings, options are exactly the documented ones with their types, and
 * every argument keeps to {@link LIMITS}. Inputs a command parses itself are marked `null`.
 */
export const DESK_ARGUMENTS: { readonly [M in keyof ServiceDesk]?: ReadonlyArray<Arg> } = {
  registerCustomer: [input('input'), options()],
  updateCustomer: [id('customer id'), input('patch'), options({ expectedVersion })],
  flagCustomer: [
    id('customer id'),
    ['flag', z.object({ kind: z.string().trim().min(1, 'name the flag, e.g. "vip"').max(LIMITS.name), reason: z.string().trim().min(1, 'say why the customer is flagged').max(LIMITS.note), ticketId: z.string().min(1).max(LIMITS.id).optional(), expiresAt: z.date().optional() }).strict()],
    options(),
  ],
  clearCustomerFlag: [id('customer id'), ['kind', z.string({ error: 'must be the flag kind (a string)' }).trim().min(1).max(LIMITS.name)], options()],
  addCustomerNote: [id('customer id'), ['text', z.string({ error: 'must be the note text (a string)' }).max(LIMITS.note)], options()],
  registerOrganization: [input('input'), options()],
  updateOrganization: [id('organization id'), input('patch'), options({ expectedVersion })],
  addOrganizationNote: [id('organization id'), ['text', z.string({ error: 'must be the note text (a string)' }).max(LIMITS.note)], options()],
  getOrganization: [id('organization id')],
  listOrganizations: [query],
  exportCustomerData: [id('customer id')],
  eraseCustomer: [id('customer id'), ['options', z.object({ by, reason: z.unknown() }).strict()]],
  applyRetention: [input('rule'), options()],
  registerAgent: [input('input'), options()],
  updateAgent: [id('agent id'), input('patch'), options()],
  registerTeam: [input('input'), options()],
  updateTeam: [id('team id'), input('patch'), options()],
  openTicket: [input('input'), options()],
  recordInteraction: [id('ticket id'), input('input'), ticketOptions()],
  assign: [id('ticket id'), input('to'), withReason],
  transfer: [id('ticket id'), input('input'), ticketOptions()],
  hold: [id('ticket id'), input('input'), ticketOptions()],
  resume: [id('ticket id'), withReason],
  setStatus: [id('ticket id'), input('status'), withReason],
  setPriority: [id('ticket id'), input('priority'), withReason],
  tag: [id('ticket id'), input('tags'), ticketOptions()],
  untag: [id('ticket id'), input('tags'), ticketOptions()],
  resolve: [id('ticket id'), input('input'), ticketOptions()],
  confirmResolution: [id('ticket id'), ticketOptions({ note: note.optional() })],
  reopen: [id('ticket id'), input('input'), ticketOptions()],
  close: [id('ticket id'), input('input'), ticketOptions()],
  updateTicket: [id('ticket id'), input('patch'), withReason],
  mergeTickets: [id('source ticket id'), id('target ticket id'), ticketOptions({ reason: note.optional(), tell: z.string({ error: 'must be the message to the requester (a string)' }).trim().min(1).max(LIMITS.body).optional() })],
  splitTicket: [id('ticket id'), input('input'), ticketOptions()],
  openChildTicket: [id('parent ticket id'), input('input'), ticketOptions()],
  linkTickets: [id('ticket id'), id('other ticket id'), input('type'), ticketOptions()],
  unlinkTickets: [id('ticket id'), id('other ticket id'), input('type'), ticketOptions()],
  listLinkedTickets: [id('ticket id'), query],
  setAgentStatus: [id('agent id'), input('status'), options({ reason: note.optional(), outOfOffice: z.array(z.object({ from: z.date(), to: z.date(), reason: note.optional() }).strict().refine((p) => p.from < p.to, 'a period ends after it starts')).max(LIMITS.items).optional() })],
  explainRouting: [id('ticket id')],
  acceptOffer: [id('ticket id'), ticketOptions()],
  declineOffer: [id('ticket id'), withReason],
  confirmSignal: [id('ticket id'), id('suspicion id'), ticketOptions({ note: note.optional() })],
  dismissSignal: [id('ticket id'), id('suspicion id'), ticketOptions({ note: note.optional() })],
  getTicket: [id('ticket id')],
  getTicketDetails: [id('ticket id')],
  findTicketBySourceId: [id('source id')],
  listTickets: [query],
  listInteractions: [id('ticket id'), query],
  getAuditTrail: [id('ticket id')],
  getCustomer: [id('customer id')],
  listCustomers: [query],
  findCustomerByContact: [input('contact')],
  findMessages: [input('messageIds')],
  recordBounce: [input('input'), options()],
  getAgent: [id('agent id')],
  listAgents: [],
  getTeam: [id('team id')],
  listTeams: [],
  restoreSchedules: [],
  explainSla: [id('ticket id')],
  listSlaPolicyVersions: [query],
  whatIfSla: [input('candidate'), query, ['options', z.object({ signal: z.instanceof(AbortSignal).optional() }).strict().optional()]],
  orderPlaced: [input('input'), options()],
  reportEvent: [input('input'), options()],
  answerSurvey: [id('survey id'), input('answer'), options()],
  recordFeedback: [input('input'), options()],
  cancelFollowUps: [input('filter'), options({ reason: note.optional() })],
  listFollowUps: [query],
  listSurveys: [query],
  getSurvey: [id('survey id')],
  notify: [input('input'), options()],
  listNotifications: [query],
  getNotification: [id('notification id')],
  retryNotification: [id('notification id'), options()],
  cancelNotification: [id('notification id'), options()],
  suggestOffers: [input('target'), options({ limit: z.number().int().min(1).max(100).optional(), record: z.boolean().optional() })],
  answerOffer: [id('offer id'), input('answer'), options()],
  listOffers: [query],
  offerStats: [],
  createArticle: [input('input'), options()],
  updateArticle: [id('article id'), input('patch'), options({ expectedVersion })],
  publishArticle: [id('article id'), options()],
  archiveArticle: [id('article id'), options()],
  draftArticleFromTicket: [id('ticket id'), options()],
  suggestArticles: [
    ['target', z.union([z.object({ ticketId: z.string().min(1).max(LIMITS.id) }).strict(), z.object({ text: z.string().max(LIMITS.body), locale: LocaleSchema.optional() }).strict()], { error: 'pass { ticketId } or { text, locale? }' })],
    ['options', z.object({ limit: z.number().int().min(1).max(100).optional(), product: z.string().min(1).max(LIMITS.id).optional() }).strict().optional()],
  ],
  recordArticleFeedback: [id('article id'), ['feedback', z.object({ helpful: z.boolean({ error: 'say whether it helped: true or false' }), ticketId: z.string().min(1).max(LIMITS.id).optional() }).strict()], options()],
  getArticle: [id('article id')],
  listArticles: [query],
  recurringProblems: [input('options')],
  claimRequestKey: [input('input')],
  completeRequest: [id('request id'), input('response')],
  releaseRequest: [id('request id')],
  pruneRequests: [input('options')],
};

/** Check `args` of `method` against {@link DESK_ARGUMENTS}; throws ValidationError naming the argument. */
export function checkArguments(method: string, spec: ReadonlyArray<Arg>, args: ReadonlyArray<unknown>): void {
  if (args.length > spec.length && args.slice(spec.length).some((a) => a !== undefined)) {
    throw new ValidationError(`${method} arguments`, [{ path: [], code: 'too_big', message: `takes ${spec.length} argument${spec.length === 1 ? '' : 's'}, got ${args.length}` }]);
  }
  for (let i = 0; i < spec.length; i++) {
    const [name, schema] = spec[i] as Arg;
    const subject = `${method} ${name}`;
    checkLimits(args[i], subject);
    if (schema === null) continue;
    const r = schema.safeParse(args[i]);
    if (!r.success) throw ValidationError.fromZod(subject, r.error);
  }
}

/**
 * The desk with every listed method checking its arguments first: a call with bad arguments
 * returns a rejected promise with a ValidationError and never reaches the command. With a
 * tracer, each call runs in a span named `omotenashi.<method>`.
 */
export function withArgumentChecks(desk: ServiceDesk, tracer?: Tracer): ServiceDesk {
  const checked: Record<string, unknown> = { ...desk };
  for (const [method, spec] of Object.entries(DESK_ARGUMENTS) as Array<[string, ReadonlyArray<Arg>]>) {
    const run = (desk as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
    if (run === undefined) continue;
    const call = (args: unknown[]): Promise<unknown> => {
      try {
        checkArguments(method, spec, args);
      } catch (error) {
        return Promise.reject(error);
      }
      return run(...args);
    };
    checked[method] = tracer === undefined ? (...args: unknown[]) => call(args) : (...args: unknown[]) => traced(tracer, `omotenashi.${method}`, methodAttributes(method, spec[0]?.[0], args[0]), () => call(args));
  }
  return checked as unknown as ServiceDesk;
}
