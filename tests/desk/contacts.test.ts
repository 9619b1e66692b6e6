import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConflictError, ValidationError, normalizeEmail, type CustomerInput } from 'omotenashi';
import { setup } from '../helpers.js';

const withEmail = (address: string, name = 'Tanaka Hanako'): CustomerInput => ({ kind: 'external', displayName: name, contacts: [{ channel: 'email', address }] });

describe('desk: customers found by contact', () => {
  it('stores e-mail addresses normalised: case, Unicode form and IDN spelling', async () => {
    const s = await setup();
    const c = await s.desk.registerCustomer(withEmail('  Hanako.Tanaka@Example.JP '));
    expect(c.contacts[0]).toMatchObject({ channel: 'email', address: 'hanako.tanaka@example.jp' });
    const idn = await s.desk.registerCustomer(withEmail('Taro@例え.JP', 'Taro'));
    expect(idn.contacts[0]).toMatchObject({ address: 'taro@xn--r8jz45g.jp' });
    expect((await s.desk.findCustomerByContact({ email: 'HANAKO.TANAKA@example.jp' }))?.id).toBe(c.id);
    expect((await s.desk.findCustomerByContact({ email: 'taro@xn--r8jz45g.jp' }))?.id).toBe(idn.id);
    expect((await s.desk.findCustomerByContact({ email: '<taro@例え.jp>' }))?.id).toBe(idn.id);
    expect(await s.desk.findCustomerByContact({ email: 'nobody@example.jp' })).toBeNull();
  });

  it('refuses a second customer with the same address, naming the first, and stores nothing', async () => {
    const s = await setup();
    const first = await s.desk.registerCustomer(withEmail('hanae@example.jp'));
    const refused = await s.desk.registerCustomer(withEmail('Hanae@EXAMPLE.jp', 'Someone else')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ kind: 'key', entity: 'customer', id: first.id });
    expect((refused as Error).message).toMatch(/hanae@example\.jp.*already belongs to customer/);
    expect((await s.desk.listCustomers()).items.filter((c) => c.displayName === 'Someone else')).toEqual([]);
    const other = await s.desk.registerCustomer(withEmail('ichiro@example.jp', 'Ichiro'));
    await expect(s.desk.updateCustomer(other.id, { contacts: [{ channel: 'email', address: 'HANAE@example.jp' }] })).rejects.toMatchObject({ kind: 'key', id: first.id });
    expect((await s.desk.getCustomer(other.id)).version).toBe(1);
  });

  it('moves the lookup with the contact: a removed address is free again, a new one finds the customer', async () => {
    const s = await setup();
    const c = await s.desk.registerCustomer(withEmail('old@example.jp'));
    await s.desk.updateCustomer(c.id, { contacts: [{ channel: 'email', address: 'new@example.jp' }, { channel: 'phone', number: '+81355550100' }] });
    expect(await s.desk.findCustomerByContact({ email: 'old@example.jp' })).toBeNull();
    expect((await s.desk.findCustomerByContact({ email: 'new@example.jp' }))?.id).toBe(c.id);
    expect((await s.desk.findCustomerByContact({ phone: '+81355550100' }))?.id).toBe(c.id);
    const reuse = await s.desk.registerCustomer(withEmail('old@example.jp', 'Reuser'));
    expect((await s.desk.findCustomerByContact({ email: 'old@example.jp' }))?.id).toBe(reuse.id);
  });

  it('lets a household share a phone number: the first to register it is found', async () => {
    const s = await setup();
    const a = await s.desk.registerCustomer({ kind: 'external', displayName: 'A', contacts: [{ channel: 'phone', number: '+81355550100' }] });
    const b = await s.desk.registerCustomer({ kind: 'external', displayName: 'B', contacts: [{ channel: 'sms', number: '+81355550100' }] });
    expect(b.contacts).toHaveLength(1);
    expect((await s.desk.findCustomerByContact({ phone: '+81355550100' }))?.id).toBe(a.id);
  });

  it('refuses a lookup that is neither an address nor an E.164 number, naming the field', async () => {
    const s = await setup();
    await expect(s.desk.findCustomerByContact({ email: 'not an address' })).rejects.toBeInstanceOf(ValidationError);
    await expect(s.desk.findCustomerByContact({ phone: '03-1234-5678' } as never)).rejects.toBeInstanceOf(ValidationError);
  });

  it('normalising is idempotent, and equal addresses in any case normalise the same', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        const once = normalizeEmail(address);
        expect(normalizeEmail(once)).toBe(once);
        expect(normalizeEmail(address.toUpperCase())).toBe(normalizeEmail(address.toLowerCase()));
      }),
    );
  });
});
