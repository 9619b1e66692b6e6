import { ConfigError } from '../errors.js';
import { sameSecret } from './digest.js';

/** Ticket ids a token can carry: short and safe in a subject and in an address's local part. */
const TOKEN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SIG_LENGTH = 10;
const SUBJECT_TOKEN = /\[#([A-Za-z0-9_-]{1,64})(?:\.([a-z2-7]{10}))?\]/;
const PLUS_TOKEN = /^[^+@]+\+([A-Za-z0-9_-]{1,64})(?:\.([a-z2-7]{10}))?@/i;

/** A ticket token found in a message: the ticket id, and whether its signature proved it. */
export interface FoundToken {
  /** The ticket it names. */
  readonly ticketId: string;
  /** True when it carried a signature made with the desk's secret; false when it had none or a wrong one. */
  readonly signed: boolean;
  /** Where it was found. */
  readonly in: 'subject' | 'address';
}

/**
 * Ticket tokens for e-mail threading: `tkt_0042.k3j5h2g9ab`, the ticket id and an HMAC-SHA256 of
 * it made with a secret (50 bits in base32), so a reply finds its ticket when the mailer dropped
 * every header, and nobody can write into another customer's ticket by guessing its number.
 * The SMTP notifier puts them in the subject (`[#tkt_0042.k3j5h2g9ab]`) or in a plus address
 * (`support+tkt_0042.k3j5h2g9ab@desk.example`); the e-mail intake reads them back.
 */
export interface ThreadTokens {
  /** The token of a ticket, or undefined for an id a token cannot carry (see the module). */
  mint(ticketId: string): Promise<string | undefined>;
  /** The token in a subject (`[#…]`) or a recipient address (`local+…@`), checked, or undefined. */
  find(subject: string, recipients: ReadonlyArray<string>): Promise<FoundToken | undefined>;
  /** The subject with the ticket's token appended, unless it already carries it. */
  tagSubject(subject: string, ticketId: string): Promise<string>;
  /** The plus address of a ticket: `support+<token>@desk.example`. */
  plusAddress(address: string, ticketId: string): Promise<string>;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= length) break;
  }
  return out;
}


/**
 * Tokens signed with `secret` (at least 16 characters; keep it with your other secrets and give
 * the SMTP notifier and the e-mail intake the same one). Uses Web Crypto, so it runs wherever the
 * core runs.
 *
 * @example
 * ```ts
 * const tokens = createThreadTokens(process.env.THREAD_SECRET!);
 * await tokens.mint('tkt_0042'); // "tkt_0042.k3j5h2g9ab"
 * ```
 * @throws ConfigError when the secret is shorter than 16 characters.
 */
export function createThreadTokens(secret: string): ThreadTokens {
  if (typeof secret !== 'string' || secret.length < 16) throw new ConfigError('threadTokens.secret', 'give a secret of at least 16 characters (e.g. 32 random bytes in base64), the same for the SMTP notifier and the e-mail intake');
  let key: Promise<CryptoKey> | undefined;
  const sign = async (ticketId: string): Promise<string> => {
    key ??= globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = await globalThis.crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(`omotenashi-thread:${ticketId}`));
    return base32(new Uint8Array(mac), SIG_LENGTH);
  };
  const mint = async (ticketId: string): Promise<string | undefined> => (TOKEN_ID.test(ticketId) ? `${ticketId}.${await sign(ticketId)}` : undefined);
  const check = async (ticketId: string, sig: string | undefined, where: 'subject' | 'address'): Promise<FoundToken> => ({ ticketId, signed: sig !== undefined && sameSecret(sig, await sign(ticketId)), in: where });
  return {
    mint,
    async find(subject, recipients) {
      for (const r of recipients) {
        const m = PLUS_TOKEN.exec(r);
        if (m !== null) return check(m[1] as string, m[2]?.toLowerCase(), 'address');
      }
      const s = SUBJECT_TOKEN.exec(subject);
      return s === null ? undefined : check(s[1] as string, s[2], 'subject');
    },
    async tagSubject(subject, ticketId) {
      const token = await mint(ticketId);
      if (token === undefined || subject.includes(`[#${token}]`)) return subject;
      return `${subject.replace(SUBJECT_TOKEN, '').trimEnd()} [#${token}]`;
    },
    async plusAddress(address, ticketId) {
      const token = await mint(ticketId);
      const at = address.lastIndexOf('@');
      if (token === undefined || at <= 0) return address;
      return `${address.slice(0, at).replace(/\+.*$/, '')}+${token}${address.slice(at)}`;
    },
  };
}

/** A subject without reply and forward prefixes (`Re:`, `Fwd:`, `AW:`, `返信:`, `転送:`) or a ticket token, for comparing. */
export function baseSubject(subject: string): string {
  let s = subject.replace(SUBJECT_TOKEN, '').trim();
  for (;;) {
    const next = s.replace(/^(?:re|fw|fwd|aw|wg|sv|vs|tr|rif|antw|返信|転送|ｒｅ)\s*(?:\[\d+\])?\s*[:：]\s*/i, '').trim();
    if (next === s) return s;
    s = next;
  }
}
