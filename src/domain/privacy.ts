import type { Actor, CustomerId } from './common.js';

/** What `eraseCustomer` erased (all zero and `erased: false` when the customer had been erased before). */
export interface ErasureReport {
  readonly customerId: CustomerId;
  /** False when the customer had already been erased: nothing changed. */
  readonly erased: boolean;
  readonly at: Date;
  readonly by: Actor;
  readonly reason: string;
  readonly tickets: number;
  readonly interactions: number;
  readonly auditEntries: number;
  readonly notifications: number;
  readonly surveys: number;
  readonly followUps: number;
}
