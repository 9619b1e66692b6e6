import * as z from 'zod';
import { NotFoundError } from '../../errors.js';
import { CustomerInputSchema, CustomerPatchSchema, CustomerSchema, type Customer, type CustomerInput } from '../../domain/customer.js';
import { PortalCustomerSchema, portalCustomer } from '../portal.js';
import type { RouteContext, RouteSpec } from '../route.js';
import { EVERYONE, PAGING, STAFF, named, paging, record } from './common.js';

const CustomerView = named('CustomerView', z.union([CustomerSchema, PortalCustomerSchema]).describe('The whole record for agents and back-ends; the portal view (PortalCustomer) for the customer themselves.'));

/** A customer may read only their own record; anyone else's is the same 404 as a missing one. */
async function visibleCustomer(ctx: RouteContext): Promise<Customer> {
  const id = ctx.params['id'] as string;
  if (ctx.principal.kind === 'customer' && ctx.principal.customerId !== id) throw new NotFoundError('customer', id, 'check the id');
  return ctx.desk.getCustomer(id as Customer['id']);
}

/** Customers: register, read, change, and look up by e-mail address or phone number. */
export const customerRoutes: ReadonlyArray<RouteSpec> = [
  {
    method: 'post',
    path: '/customers',
    operationId: 'registerCustomer',
    summary: 'Register a customer (internal or external)',
    tag: 'Customers',
    roles: STAFF,
    body: named('CustomerInput', CustomerInputSchema),
    response: { ...named('Customer', CustomerSchema), status: 201 },
    async handle(ctx) {
      const c = await ctx.desk.registerCustomer(ctx.body as CustomerInput, { by: ctx.actor });
      return { ...record(c, c, 201), location: `/customers/${encodeURIComponent(c.id)}` };
    },
  },
  {
    method: 'get',
    path: '/customers',
    operationId: 'listCustomers',
    summary: 'List customers, or find one by e-mail address or phone number',
    description: 'With `email` or `phone` the page holds the one customer with that contact, or nothing.',
    tag: 'Customers',
    roles: STAFF,
    query: z.object({ email: z.string().min(1).max(320).optional(), phone: z.string().min(1).max(40).optional(), kind: z.enum(['internal', 'external']).optional(), ...PAGING }).strict(),
    response: { ...named('Customer', CustomerSchema), list: 'page' },
    async handle(ctx) {
      const { email, phone, kind } = ctx.query as { email?: string; phone?: string; kind?: 'internal' | 'external' };
      if (email !== undefined || phone !== undefined) {
        const found = await ctx.desk.findCustomerByContact(email !== undefined ? { email } : { phone: phone as string });
        return { body: found === null ? [] : [found], nextCursor: null };
      }
      const page = await ctx.desk.listCustomers({ ...(kind === undefined ? {} : { kind }), ...paging(ctx) });
      return { body: page.items, nextCursor: page.nextCursor };
    },
  },
  {
    method: 'get',
    path: '/customers/me',
    operationId: 'getMe',
    summary: "The calling customer's own profile (portal)",
    tag: 'Customers',
    roles: ['customer'],
    versioned: true,
    response: named('PortalCustomer', PortalCustomerSchema),
    async handle(ctx) {
      const c = await ctx.desk.getCustomer((ctx.principal as { customerId: string }).customerId as Customer['id']);
      return record(c, portalCustomer(c));
    },
  },
  {
    method: 'get',
    path: '/customers/{id}',
    operationId: 'getCustomer',
    summary: 'Read a customer',
    tag: 'Customers',
    roles: EVERYONE,
    versioned: true,
    response: CustomerView,
    async handle(ctx) {
      const c = await visibleCustomer(ctx);
      return record(c, ctx.principal.kind === 'customer' ? portalCustomer(c) : c);
    },
  },
  {
    method: 'patch',
    path: '/customers/{id}',
    operationId: 'updateCustomer',
    summary: 'Change a customer',
    description: 'Send `If-Match` with the ETag you read to refuse overwriting someone else’s change.',
    tag: 'Customers',
    roles: STAFF,
    versioned: true,
    body: named('CustomerPatch', CustomerPatchSchema),
    response: named('Customer', CustomerSchema),
    async handle(ctx) {
      const c = await ctx.desk.updateCustomer(ctx.params['id'] as Customer['id'], ctx.body as Parameters<typeof ctx.desk.updateCustomer>[1], { by: ctx.actor, ...(ctx.ifMatch === undefined ? {} : { expectedVersion: ctx.ifMatch }) });
      return record(c);
    },
  },
];
