import * as z from 'zod';
import { AdapterError, isOmotenashiError } from '../errors.js';
import { AgentSchema, TeamSchema } from '../domain/agent.js';
import { CustomerSchema } from '../domain/customer.js';
import { FollowUpSchema, SurveySchema } from '../domain/followup.js';
import { InteractionSchema } from '../domain/interaction.js';
import { NotificationRecordSchema } from '../domain/notification.js';
import { OfferSchema } from '../domain/offer.js';
import { ArticleSchema } from '../domain/article.js';
import { AuditEntrySchema, TicketSchema } from '../domain/ticket.js';
import { PublishedEventRecordSchema } from '../domain/published-event.js';
import { RequestRecordSchema } from '../domain/request.js';
import { OrganizationSchema } from '../domain/organization.js';
import { SlaPolicyVersionSchema } from '../domain/sla-version.js';
import type { TicketId } from '../domain/common.js';
import type { EntityKind, EntityMap, HistoryKind, HistoryMap, HistoryQuery, KeyClaim, Page, QueryMap, StoragePort } from '../ports/storage.js';
import type { NotifierPort } from '../ports/notifier.js';

const schemas: { [K in EntityKind]: z.ZodType<EntityMap[K]> } = {
  customer: CustomerSchema as unknown as z.ZodType<EntityMap['customer']>,
  agent: AgentSchema as unknown as z.ZodType<EntityMap['agent']>,
  team: TeamSchema as unknown as z.ZodType<EntityMap['team']>,
  ticket: TicketSchema as unknown as z.ZodType<EntityMap['ticket']>,
  followup: FollowUpSchema as unknown as z.ZodType<EntityMap['followup']>,
  survey: SurveySchema as unknown as z.ZodType<EntityMap['survey']>,
  notification: NotificationRecordSchema as unknown as z.ZodType<EntityMap['notification']>,
  offer: OfferSchema as unknown as z.ZodType<EntityMap['offer']>,
  article: ArticleSchema as unknown as z.ZodType<EntityMap['article']>,
  event: PublishedEventRecordSchema as unknown as z.ZodType<EntityMap['event']>,
  request: RequestRecordSchema as unknown as z.ZodType<EntityMap['request']>,
  organization: OrganizationSchema as unknown as z.ZodType<EntityMap['organization']>,
  sla_policy: SlaPolicyVersionSchema as unknown as z.ZodType<EntityMap['sla_policy']>,
};

const pageSchema = <T>(item: z.ZodType<T>) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// Built once: constructing a zod schema costs more than parsing with it, and these run on every read.
const nullable = Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, (v as z.ZodType).nullable()])) as unknown as { [K in EntityKind]: z.ZodType<EntityMap[K] | null> };
const pages = Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, pageSchema(v as z.ZodType)])) as unknown as { [K in EntityKind]: z.ZodType<Page<EntityMap[K]>> };
const histories: { [K in HistoryKind]: z.ZodType<ReadonlyArray<HistoryMap[K]>> } = { interaction: z.array(InteractionSchema), audit: z.array(AuditEntrySchema) } as unknown as { [K in HistoryKind]: z.ZodType<ReadonlyArray<HistoryMap[K]>> };

/**
 * Wrap a storage adapter so the desk never calls it raw: failures become {@link AdapterError}
 * naming the adapter and method (omotenashi's own errors, such as `ConflictError`, pass
 * through), and what comes back is checked against the domain schemas (unless the adapter
 * declares `capabilities.verbatim`: it returns exactly what it was given).
 */
export function guardStorage(port: StoragePort): StoragePort {
  const name = port.name;
  const verbatim = port.capabilities.verbatim === true;
  const call = async <T>(method: string, run: () => Promise<T>, check?: z.ZodType<T>): Promise<T> => {
    let result: T;
    try {
      result = await run();
    } catch (error) {
      if (isOmotenashiError(error)) throw error;
      throw new AdapterError(name, method, error instanceof Error ? error.message : String(error), { cause: error });
    }
    if (check === undefined || verbatim) return result;
    const parsed = check.safeParse(result);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new AdapterError(
        name,
        method,
        `returned data that breaks the port contract (${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'})`,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  };
  return {
    name,
    capabilities: port.capabilities,
    ...(port.scheduler === undefined ? {} : { scheduler: port.scheduler }),
    get: <K extends EntityKind>(kind: K, id: string) => call('get', () => port.get(kind, id), nullable[kind] as z.ZodType<EntityMap[K] | null>),
    findTicketBySourceId: (sourceId) => call('findTicketBySourceId', () => port.findTicketBySourceId(sourceId), nullable.ticket),
    findKeys: (keys) => call('findKeys', () => port.findKeys(keys), KeyClaimsSchema),
    list: <K extends EntityKind>(kind: K, query: QueryMap[K]) => call('list', () => port.list(kind, query), pages[kind]),
    history: <K extends HistoryKind>(kind: K, ticketId: TicketId, query?: HistoryQuery) => call('history', () => port.history(kind, ticketId, query), histories[kind]),
    commit: (work) => call('commit', () => port.commit(work)),
  };
}

const KeyClaimsSchema = z.array(z.object({ key: z.string(), kind: z.string(), id: z.string() })) as unknown as z.ZodType<ReadonlyArray<KeyClaim>>;

const SendResultSchema = z.object({ externalId: z.string().min(1), aliases: z.array(z.string().min(1)).max(20).optional() });

/**
 * Wrap a notifier so the desk never calls it raw: a failure becomes an {@link AdapterError}
 * naming the notifier, and a result without an `externalId` breaks the contract.
 */
export function guardNotifier(port: NotifierPort): NotifierPort {
  return {
    name: port.name,
    capabilities: port.capabilities,
    async send(notification) {
      let result: unknown;
      try {
        result = await port.send(notification);
      } catch (error) {
        if (isOmotenashiError(error)) throw error;
        throw new AdapterError(port.name, 'send', error instanceof Error ? error.message : String(error), { cause: error });
      }
      const parsed = SendResultSchema.safeParse(result);
      if (!parsed.success) throw new AdapterError(port.name, 'send', 'returned no externalId (the port contract wants { externalId })', { cause: parsed.error });
      return parsed.data;
    },
  };
}
