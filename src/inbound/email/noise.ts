import type { ParsedMessage } from './parse.js';

/** Why the intake ignored a message. */
export type IgnoreReason = 'auto_reply' | 'bounce' | 'loop' | 'list' | 'bulk' | 'spam' | 'rate_limited' | 'malformed' | 'too_large' | 'no_sender';

const first = (m: ParsedMessage, name: string): string | undefined => m.headers.get(name)?.[0]?.trim();
const LOCAL_DAEMONS = /^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)$/i;

/** Whether the message is a delivery status notification (a bounce or a delay report). */
export function isDeliveryReport(m: ParsedMessage): boolean {
  if (/^multipart\/report\b/.test(m.contentType) && /report-type\s*=\s*"?delivery-status/.test(m.contentType)) return true;
  const local = m.from?.address.split('@')[0] ?? '';
  return LOCAL_DAEMONS.test(local) && /(undeliver|delivery (?:status|failure|has failed)|returned mail|failure notice|配信.*(?:失敗|不能|エラー)|届きませんでした)/i.test(m.subject);
}

/**
 * Why a message is noise to ignore, or undefined for one a person wrote. In this order: mail from
 * the desk's own addresses (a loop), RFC 3834 `Auto-Submitted` (anything but `no`), the common
 * auto-reply headers (`X-Autoreply`, `X-Autorespond`, `X-Auto-Response-Suppress: All|OOF`
 * on a message that is itself automatic, Exchange's `X-MS-Exchange-Generated-Message-Source`),
 * `Precedence: bulk|junk|list`, mailing-list headers (`List-Id`, `List-Unsubscribe` with
 * `Precedence`), and spam verdicts the receiving server set (`X-Spam-Flag: YES`,
 * `X-Spam-Status: Yes`, SES `X-SES-Spam-Verdict: FAIL`, `X-Spam: yes`).
 */
export function noiseReason(m: ParsedMessage, own: ReadonlySet<string>, ownDomains: ReadonlySet<string>): { reason: IgnoreReason; detail: string } | undefined {
  const from = m.from?.address;
  if (from !== undefined && own.has(from)) return { reason: 'loop', detail: `sent from the desk's own address ${from}` };
  if (from !== undefined && ownDomains.size > 0 && /^(?:no-?reply|do-?not-?reply)$/i.test(from.split('@')[0] ?? '') && ownDomains.has(from.split('@')[1] ?? '')) return { reason: 'loop', detail: `sent from the desk's own no-reply address ${from}` };
  if ((m.headers.get('x-omotenashi-idempotency-key')?.length ?? 0) > 0) return { reason: 'loop', detail: 'carries the desk\'s own X-Omotenashi-Idempotency-Key header' };
  const auto = first(m, 'auto-submitted');
  if (auto !== undefined && !/^no\b/i.test(auto)) return { reason: 'auto_reply', detail: `Auto-Submitted: ${auto}` };
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-ms-exchange-generated-message-source']) {
    const v = first(m, h);
    if (v !== undefined && !/^(?:no|false|0)$/i.test(v)) return { reason: 'auto_reply', detail: `${h}: ${v}` };
  }
  if (first(m, 'x-ms-exchange-inbox-rules-loop') !== undefined) return { reason: 'auto_reply', detail: 'an Exchange inbox rule sent it' };
  const precedence = first(m, 'precedence')?.toLowerCase();
  if (precedence === 'list') return { reason: 'list', detail: 'Precedence: list' };
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'auto_reply') return { reason: precedence === 'auto_reply' ? 'auto_reply' : 'bulk', detail: `Precedence: ${precedence}` };
  const listId = first(m, 'list-id');
  if (listId !== undefined) return { reason: 'list', detail: `List-Id: ${listId}` };
  if (first(m, 'list-unsubscribe') !== undefined && first(m, 'list-unsubscribe-post') !== undefined) return { reason: 'bulk', detail: 'a bulk mailing (List-Unsubscribe-Post)' };
  const spam = spamVerdict(m);
  if (spam !== undefined) return { reason: 'spam', detail: spam };
  return undefined;
}

function spamVerdict(m: ParsedMessage): string | undefined {
  const flag = first(m, 'x-spam-flag');
  if (flag !== undefined && /^yes\b/i.test(flag)) return `X-Spam-Flag: ${flag}`;
  const status = first(m, 'x-spam-status');
  if (status !== undefined && /^yes\b/i.test(status)) return `X-Spam-Status: ${status.slice(0, 80)}`;
  const ses = first(m, 'x-ses-spam-verdict');
  if (ses !== undefined && /^fail$/i.test(ses)) return `X-SES-Spam-Verdict: ${ses}`;
  const plain = first(m, 'x-spam');
  if (plain !== undefined && /^(?:yes|true)$/i.test(plain)) return `X-Spam: ${plain}`;
  return undefined;
}
