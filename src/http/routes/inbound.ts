import * as z from 'zod';
import { HttpError } from '../../errors.js';
import { sameSecret } from '../../internal/digest.js';
import type { InboundIntake, RouteSpec } from '../route.js';

/** The shared secret of a request: a Bearer token, or the password of Basic credentials (`https://inbound:<secret>@…`). */
function secretOf(request: Request): string | undefined {
  const header = request.headers.get('authorization') ?? '';
  const [scheme, value] = header.split(/\s+/, 2);
  if (value === undefined) return undefined;
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (!/^basic$/i.test(scheme ?? '')) return undefined;
  try {
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  } catch {
    return undefined;
  }
}

const RAW_TYPES = /^(message\/rfc822|text\/plain|application\/octet-stream)\b/i;

/** The route an e-mail provider's inbound webhook posts raw MIME messages to. */
export function inboundRoutes(inbound: { readonly intake: InboundIntake; readonly secret: string }): RouteSpec[] {
  return [
    {
      method: 'post',
      path: '/inbound/email',
      operationId: 'receiveEmail',
      summary: 'Take in a raw e-mail message (RFC 5322) from a provider’s inbound webhook',
      description:
        'Authenticated with the shared secret configured as `inbound.secret`: `Authorization: Bearer <secret>`, or Basic credentials whose password is the secret. The body is the raw message (`message/rfc822`, `text/plain` or `application/octet-stream`). Answers 200 for every message the intake took in or ignored, so the provider does not retry it.',
      tag: 'Inbound',
      roles: ['system'],
      ownAuth: true,
      rawBody: true,
      response: {
        name: 'InboundEmailResult',
        schema: z.object({
          outcome: z.enum(['opened', 'appended', 'duplicate', 'ignored']),
          messageId: z.string().optional(),
          ticketId: z.string().optional(),
          interactionId: z.string().optional(),
          customerId: z.string().optional(),
          reason: z.string().optional().describe('Why an ignored message was ignored: auto_reply, bulk, list, spam, loop, bounce, rate_limited, malformed, no_sender, too_large'),
          detail: z.string().optional(),
        }),
      },
      async handle(ctx) {
        const given = secretOf(ctx.raw);
        if (given === undefined || !sameSecret(given, inbound.secret)) throw new HttpError('UNAUTHENTICATED', 'send the inbound secret as a Bearer token or as the password of Basic credentials');
        const type = ctx.raw.headers.get('content-type') ?? '';
        if (!RAW_TYPES.test(type)) throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `post the raw message as message/rfc822, text/plain or application/octet-stream (got "${type || 'none'}")`);
        const r = await inbound.intake.receive(ctx.body as Uint8Array);
        const { bounce: _bounce, ...rest } = r as Record<string, unknown>;
        return { body: rest };
      },
    },
  ];
}
