import { describe, expect, it } from 'vitest';
import { ContactPointSchema, CustomerInputSchema, activeFlags, salutationName } from 'omotenashi';

describe('customer profile', () => {
  it('addresses the customer as the profile says: formal by default, first name only when permitted', () => {
    const addressing = { form: 'formal' as const, honorific: '様', familyName: '田中', givenName: '花子', firstNameUsePermitted: false };
    expect(salutationName({ displayName: 'Tanaka Hanako', addressing })).toBe('田中様');
    expect(salutationName({ displayName: 'Jane Doe', addressing: { form: 'formal', honorific: 'Ms', familyName: 'Doe', givenName: 'Jane', firstNameUsePermitted: false } })).toBe('Ms Doe');
    // Informal register asked for, but first-name use was never permitted: stay with the family name.
    expect(salutationName({ displayName: 'Jane Doe', addressing: { form: 'informal', familyName: 'Doe', givenName: 'Jane', firstNameUsePermitted: false } })).toBe('Doe');
    expect(salutationName({ displayName: 'Jane Doe', addressing: { form: 'informal', familyName: 'Doe', givenName: 'Jane', firstNameUsePermitted: true } })).toBe('Jane');
    expect(salutationName({ displayName: 'ACME Corp.', addressing: { form: 'formal', firstNameUsePermitted: false } })).toBe('ACME Corp.');
  });

  it('validates contact points per channel', () => {
    expect(ContactPointSchema.safeParse({ channel: 'email', address: 'a@example.com' }).success).toBe(true);
    expect(ContactPointSchema.safeParse({ channel: 'email', address: 'a@' }).success).toBe(false);
    expect(ContactPointSchema.safeParse({ channel: 'sms', number: '+447700900123' }).success).toBe(true);
    expect(ContactPointSchema.safeParse({ channel: 'sms', number: '07700 900123' }).success).toBe(false);
    expect(ContactPointSchema.safeParse({ channel: 'postal', address: { lines: ['1-2-3 Chiyoda'], country: 'JP' } }).success).toBe(true);
    expect(ContactPointSchema.safeParse({ channel: 'postal', address: { lines: [], country: 'Japan' } }).success).toBe(false);
    expect(ContactPointSchema.safeParse({ channel: 'fax', number: '+81312345678' }).success).toBe(false);
  });

  it('tells internal from external customers by kind', () => {
    const internal = CustomerInputSchema.parse({ kind: 'internal', displayName: 'Packaging', department: 'packaging', costCentre: 'CC-12' });
    expect(internal.kind).toBe('internal');
    expect(CustomerInputSchema.safeParse({ kind: 'partner', displayName: 'x' }).success).toBe(false);
  });

  it('active flags exclude cleared and expired ones', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const author = { kind: 'agent' as const };
    const flags = [
      { kind: 'vip', reason: 'r', author, at },
      { kind: 'abusive', reason: 'r', author, at, expiresAt: new Date('2026-02-01T00:00:00Z') },
      { kind: 'legal_threat', reason: 'r', author, at, clearedAt: new Date('2026-01-02T00:00:00Z') },
    ];
    expect(activeFlags({ flags }, new Date('2026-01-15T00:00:00Z')).map((f) => f.kind)).toEqual(['vip', 'abusive']);
    expect(activeFlags({ flags }, new Date('2026-02-01T00:00:00Z')).map((f) => f.kind)).toEqual(['vip']);
  });
});
