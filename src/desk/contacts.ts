import { ConflictError } from '../errors.js';
import { contactKeys } from '../domain/address.js';
import type { Customer } from '../domain/customer.js';
import type { KeyChange, StoragePort } from '../ports/storage.js';

/**
 * The key changes that keep a customer findable by contact: each normalised e-mail address is
 * claimed (unique per desk: one held by another customer is a `ConflictError` naming them); a
 * phone or SMS number is claimed when free and otherwise left with the customer who registered it
 * first (households share numbers); contacts no longer on the record are released.
 */
export async function contactKeyChanges(storage: Pick<StoragePort, 'findKeys'>, next: Customer, previous: Customer | null): Promise<KeyChange[]> {
  const now = contactKeys(next.contacts);
  const before = previous === null ? { emails: [], phones: [] } : contactKeys(previous.contacts);
  const had = new Set([...before.emails, ...before.phones]);
  const keep = new Set([...now.emails, ...now.phones]);
  const fresh = [...now.emails, ...now.phones].filter((k) => !had.has(k));
  const owners = fresh.length === 0 ? [] : await storage.findKeys(fresh);
  const others = new Map(owners.filter((o) => !(o.kind === 'customer' && o.id === next.id)).map((o) => [o.key, o]));
  for (const key of now.emails) {
    const owner = others.get(key);
    if (owner !== undefined) {
      throw new ConflictError({
        entity: 'customer',
        id: owner.id,
        kind: 'key',
        expectedVersion: null,
        actualVersion: null,
        message: `the e-mail address "${key.slice('email:'.length)}" already belongs to customer "${owner.id}": use that customer (desk.findCustomerByContact), or remove the address from it first`,
      });
    }
  }
  const changes: KeyChange[] = [];
  for (const key of fresh) if (!others.has(key)) changes.push({ op: 'claim', key, kind: 'customer', id: next.id });
  for (const key of had) if (!keep.has(key)) changes.push({ op: 'release', key, kind: 'customer', id: next.id });
  return changes;
}
