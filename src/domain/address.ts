/**
 * The one form an e-mail address is stored and compared in: Unicode NFC, no surrounding space or
 * angle brackets, lower case (mailbox names are treated as case-insensitive, as every large
 * provider does), and an internationalised domain in its ASCII (`xn--`) form, so
 * `Taro@例え.JP` and `taro@xn--r8jz45g.jp` are one address. Input that is not an address comes
 * back trimmed and lower-cased, for the schema to refuse.
 *
 * @example
 * ```ts
 * normalizeEmail(' Hanako.Tanaka@Example.JP '); // "hanako.tanaka@example.jp"
 * normalizeEmail('taro@例え.jp'); // "taro@xn--r8jz45g.jp"
 * ```
 */
export function normalizeEmail(address: string): string {
  const plain = address.normalize('NFC').trim().replace(/^<(.*)>$/, '$1').trim();
  const at = plain.lastIndexOf('@');
  if (at <= 0 || at === plain.length - 1) return plain.toLowerCase();
  const local = plain.slice(0, at).toLowerCase();
  return `${local}@${asciiDomain(plain.slice(at + 1))}`;
}

/** A domain in lower-case ASCII, IDN labels as punycode (WHATWG URL, present in every runtime). */
function asciiDomain(domain: string): string {
  const lower = domain.toLowerCase().replace(/\.$/, '');
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(lower)) return lower;
  try {
    return new URL(`http://${lower}`).hostname;
  } catch {
    return lower;
  }
}

/** The lookup key of a normalised e-mail address. */
export const emailKey = (address: string): string => `email:${normalizeEmail(address)}`;
/** The lookup key of an E.164 phone number. */
export const phoneKey = (number: string): string => `phone:${number.replace(/[\s().-]/g, '')}`;

/** The lookup keys of a customer's contact points: every e-mail address, phone and SMS number. */
export function contactKeys(contacts: ReadonlyArray<{ readonly channel: string; readonly address?: unknown; readonly number?: unknown }>): { emails: string[]; phones: string[] } {
  const emails = new Set<string>();
  const phones = new Set<string>();
  for (const c of contacts) {
    if (c.channel === 'email' && typeof c.address === 'string') emails.add(emailKey(c.address));
    else if ((c.channel === 'phone' || c.channel === 'sms') && typeof c.number === 'string') phones.add(phoneKey(c.number));
  }
  return { emails: [...emails], phones: [...phones] };
}
