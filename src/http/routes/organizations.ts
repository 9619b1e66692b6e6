import * as z from 'zod';
import { OrganizationInputSchema, OrganizationPatchSchema, OrganizationSchema, type Organization, type OrganizationInput } from '../../domain/organization.js';
import type { RouteSpec } from '../route.js';
import { PAGING, STAFF, named, paging, record } from './common.js';

const Org = named('Organization', OrganizationSchema);

/** Organisations: the customer companies and the units of your own that customers belong to (staff only). */
export const organizationRoutes: ReadonlyArray<RouteSpec> = [
  {
    method: 'post',
    path: '/organizations',
    operationId: 'registerOrganization',
    summary: 'Register an organisation (a customer company, or a unit of your own)',
    description: 'Customers registered later with an e-mail address at one of its `domains` join it by themselves.',
    tag: 'Organisations',
    roles: STAFF,
    body: named('OrganizationInput', OrganizationInputSchema),
    response: { ...Org, status: 201 },
    async handle(ctx) {
      const o = await ctx.desk.registerOrganization(ctx.body as OrganizationInput, { by: ctx.actor });
      return { ...record(o, o, 201), location: `/organizations/${encodeURIComponent(o.id)}` };
    },
  },
  {
    method: 'get',
    path: '/organizations',
    operationId: 'listOrganizations',
    summary: 'List organisations',
    tag: 'Organisations',
    roles: STAFF,
    query: z.object({ kind: z.enum(['external', 'internal']).optional(), parentId: z.string().min(1).optional(), ...PAGING }).strict(),
    response: { ...Org, list: 'page' },
    async handle(ctx) {
      const { kind, parentId } = ctx.query as { kind?: 'external' | 'internal'; parentId?: Organization['id'] };
      const page = await ctx.desk.listOrganizations({ ...(kind === undefined ? {} : { kind }), ...(parentId === undefined ? {} : { parentId }), ...paging(ctx) });
      return { body: page.items, nextCursor: page.nextCursor };
    },
  },
  {
    method: 'get',
    path: '/organizations/{id}',
    operationId: 'getOrganization',
    summary: 'Read an organisation',
    tag: 'Organisations',
    roles: STAFF,
    versioned: true,
    response: Org,
    async handle(ctx) {
      return record(await ctx.desk.getOrganization(ctx.params['id'] as Organization['id']));
    },
  },
  {
    method: 'patch',
    path: '/organizations/{id}',
    operationId: 'updateOrganization',
    summary: 'Change an organisation',
    description: 'Send `If-Match` with the ETag you read to refuse overwriting someone else’s change.',
    tag: 'Organisations',
    roles: STAFF,
    versioned: true,
    body: named('OrganizationPatch', OrganizationPatchSchema),
    response: Org,
    async handle(ctx) {
      const o = await ctx.desk.updateOrganization(ctx.params['id'] as Organization['id'], ctx.body as Parameters<typeof ctx.desk.updateOrganization>[1], { by: ctx.actor, ...(ctx.ifMatch === undefined ? {} : { expectedVersion: ctx.ifMatch }) });
      return record(o);
    },
  },
];
