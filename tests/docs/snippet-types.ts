export type { Agent, BusinessCalendar, FieldSet, InteractionId, CompiledCondition, Condition, Customer, CustomerId, LabelledSentence, ServiceDesk, SlaSetup, StoragePort, Team, TemplateRegistry, Ticket, TicketId } from 'omotenashi';
export type { PostgresStorage } from 'omotenashi/postgres';
export type { SmtpTransport } from 'omotenashi/smtp';
