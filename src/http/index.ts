/**
 * An HTTP API over a desk: `createHttpApi({ desk, authenticate })` gives a Web-standard
 * `fetch(request)` handler with an OpenAPI 3.1 document, for agents, the customer portal and
 * trusted back-ends. Needs `hono` (an optional peer dependency).
 *
 * @module http
 */
export { createHttpApi, type HttpApi, type HttpRoute } from './api.js';
export type { CorsOptions, HttpApiOptions } from './options.js';
export type { DocumentInfo } from './openapi.js';
export type { InboundIntake, Principal, Role } from './route.js';
export { jsonSchemaOf, toOpenApiSchema } from './codec.js';
export { PROBLEM_TYPE, ProblemSchema, type Problem } from './problem.js';
export { PortalCustomerSchema, PortalInteractionSchema, PortalOfferSchema, PortalSurveySchema, PortalTicketSchema, type PortalCustomer, type PortalInteraction, type PortalTicket } from './portal.js';
export { ArticleMatchSchema, BacklogRowSchema, MetricRowSchema, SlaEvaluationSchema } from './schemas.js';
