import type { Pool } from 'pg';
// The names the docs' snippets use from their surrounding text, typed as the text means them.
import type { Agent, BusinessCalendar, FieldSet, InteractionId, CompiledCondition, Customer, CustomerId, LabelledSentence, PostgresStorage, ServiceDesk, SlaSetup, SmtpTransport, Team, TemplateRegistry, Ticket, TicketId } from './snippet-types.js';

declare global {
  const desk: ServiceDesk;
  const storage: PostgresStorage;
  const pool: Pool;
  const templates: TemplateRegistry;
  /** What `defineSlaConfig(...)` returned. */
  const sla: SlaSetup;
  const transport: SmtpTransport;
  const customer: Customer;
  const tanaka: Customer;
  const ticket: Ticket;
  const newTicket: Ticket;
  const duplicate: Ticket;
  const original: Ticket;
  const otherTicket: Ticket;
  const lastMessageId: InteractionId;
  const fields: FieldSet;
  const ticketId: TicketId;
  const aboutTicketId: TicketId;
  const customerId: CustomerId;
  const requesterId: CustomerId;
  const vipUrgent: CompiledCondition;
  const aiko: Agent;
  const ben: Agent;
  const team: Team;
  const teamId: Team['id'];
  const tokyoOfficeHours: BusinessCalendar;
  const surveyId: string;
  const orderId: string;
  /** A raw e-mail as received. */
  const raw: Uint8Array;
  /** A webhook request's body as received, and its headers. */
  const rawBody: string;
  const req: { readonly headers: Record<string, string | undefined> };
  const currentSecret: string;
  const previousSecret: string;
  function alreadyHandled(id: string): boolean;
  const myLabelledSentences: ReadonlyArray<LabelledSentence>;
  const host: string;
  const port: number;
  const auth: { user: string; pass: string };
  function log(...args: unknown[]): void;
}
export {};
