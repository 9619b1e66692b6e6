import { messageIds, type ParsedMessage } from './parse.js';

/** What a delivery status notification says about one recipient of one message. */
export interface DeliveryReport {
  /** The Message-ID of the message that bounced, when the report quotes it. */
  readonly messageId: string | undefined;
  /** The address that failed. */
  readonly recipient: string | undefined;
  /** `failed` is permanent; `delayed` (or a 4.x.x status) is a report that the server keeps trying. */
  readonly permanent: boolean;
  /** The enhanced status code, e.g. `5.1.1`. */
  readonly status: string | undefined;
  /** The receiving server's words. */
  readonly diagnostic: string | undefined;
}

const decoder = new TextDecoder();

/** The fields of a `message/delivery-status` body (RFC 3464): one block per message and recipient. */
function fields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const unfolded = text.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\n')) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m !== null && !out.has((m[1] as string).toLowerCase())) out.set((m[1] as string).toLowerCase(), (m[2] as string).trim());
  }
  return out;
}

const typed = (v: string | undefined): string | undefined => v?.replace(/^[a-z0-9-]+;\s*/i, '').trim() || undefined;

/**
 * Read a bounce: the `message/delivery-status` part (final recipient, action, status, diagnostic)
 * and the returned message or its headers for the original Message-ID. Falls back to the text of
 * reports without a status part (`X-Failed-Recipients`, a quoted `Message-ID:` line).
 */
export function readDeliveryReport(m: ParsedMessage): DeliveryReport {
  const status = m.attachments.find((a) => a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status');
  const original = m.attachments.find((a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers' || a.contentType === 'message/global' || a.contentType === 'message/global-headers');
  const f = status === undefined ? new Map<string, string>() : fields(decoder.decode(status.bytes));
  const originalHeaders = original === undefined ? '' : decoder.decode(original.bytes.subarray(0, 64 * 1024)).split(/\r?\n\r?\n/)[0] ?? '';
  const quoted = /^message-id:\s*(.+)$/im.exec(originalHeaders)?.[1] ?? /^\s*message-id:\s*(<[^>]+>)/im.exec(m.text)?.[1];
  const action = f.get('action')?.toLowerCase();
  const code = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(f.get('status') ?? m.text)?.[1];
  const recipient = typed(f.get('final-recipient') ?? f.get('original-recipient')) ?? m.headers.get('x-failed-recipients')?.[0]?.split(',')[0]?.trim();
  return {
    messageId: messageIds(quoted)[0],
    recipient: recipient?.toLowerCase(),
    permanent: action === undefined ? !code?.startsWith('4') : action === 'failed',
    status: code,
    diagnostic: typed(f.get('diagnostic-code'))?.slice(0, 2000),
  };
}
