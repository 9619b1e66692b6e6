/** What reply trimming kept and why it cut. */
export interface TrimmedReply {
  /** The new text only: quoted history and signature removed. */
  readonly text: string;
  /** Whether anything was cut. */
  readonly trimmed: boolean;
  /** What the cut started at: a quote header, an Outlook header block, a quote, a signature, a mobile footer. */
  readonly cut: 'quote_header' | 'original_message' | 'quoted_lines' | 'signature' | 'mobile_footer' | undefined;
}

// "On Mon, 30 Nov 2026 at 10:00, Taro Yamada <taro@example.jp> wrote:" in the languages mailers use.
const WROTE = [
  /^(?:On|Am|Le|El|Il|Op|Em|Den|På|W dniu)\s.{4,300}?(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu|skrev|napisał)\s?[:：]\s*$/i,
  /^.{2,200}?\s(?:wrote|schrieb|a écrit|escribió)\s?[:：]\s*$/i,
  // German and Dutch mailers name the writer after the verb: "Am 30.11.2026 um 10:00 schrieb Support <support@desk.example>:"
  /^(?:Am|Op)\s.{4,200}?\s(?:schrieb|schreef)\s.{1,200}[:：]\s*$/i,
  // Japanese mailers: "2026年11月30日(月) 10:00 山田太郎 <taro@example.jp>:", "2026/11/30 10:00、山田太郎 <taro@example.jp> のメール:"
  /^\s*\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?.{0,200}?(?:[:：]|のメール[:：]?|さんは書きました[:：]?|wrote[:：]?|は書きました[:：]?)\s*$/,
  /^.{1,120}?(?:さんは書きました|は書きました|さんからのメール|様からのメール)\s*[:：]?\s*$/,
];
const ORIGINAL = /^\s*[-_=]{2,}\s*(?:Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|元のメッセージ|オリジナルメッセージ|転送されたメッセージ|Original)\s*[-_=]{2,}\s*$/i;
const OUTLOOK_FIELD = /^\s*\**\s*(From|Sent|Date|To|Cc|Subject|差出人|送信者|送信日時|日時|宛先|件名|CC|Von|Gesendet|An|Betreff|De|Envoyé|À|Objet)\s*\**\s*[:：]/i;
const OUTLOOK_RULE = /^\s*_{10,}\s*$/;
const MOBILE = /^\s*(?:Sent from my (?:iPhone|iPad|Android|Galaxy|mobile|BlackBerry)|Sent from (?:Outlook|Yahoo Mail|Mail) for|Sent from (?:Yahoo Mail|Gmail Mobile|Mail)\b|Get Outlook for (?:iOS|Android)|iPhoneから送信|iPadから送信|Androidから送信|Android携帯からの送信|auメールから送信|ドコモメールから送信|Yahoo!メールから送信|送信元: .{1,40}(?:iPhone|Android))(?![A-Za-z]).*$/i;
const SIG_RULE = /^(?:--\s?|__|[-=_*~━─＝ー]{8,}|[━─]{4,})\s*$/;
const QUOTED = /^\s*(?:>|＞)/;

const blank = (l: string): boolean => l.trim() === '';

/** Where an Outlook-style header block ("From: … Sent: … To: … Subject: …") starts, at line `i`. */
function outlookBlock(lines: ReadonlyArray<string>, i: number): boolean {
  const start = OUTLOOK_RULE.test(lines[i] ?? '') ? i + 1 : i;
  const m = OUTLOOK_FIELD.exec(lines[start] ?? '');
  if (m === null || !/^(?:From|差出人|送信者|Von|De)$/i.test((m[1] as string).trim())) return false;
  let fields = 0;
  for (let j = start; j < Math.min(lines.length, start + 6); j++) if (OUTLOOK_FIELD.test(lines[j] ?? '')) fields++;
  return fields >= 2;
}

/** Whether line `i` (or `i` joined with the next, for headers a mailer wrapped) is a "… wrote:" quote header. */
function quoteHeader(lines: ReadonlyArray<string>, i: number): boolean {
  const line = lines[i] ?? '';
  if (line.length > 400 || QUOTED.test(line)) return false;
  if (WROTE.some((r) => r.test(line))) return true;
  const joined = `${line.trimEnd()} ${(lines[i + 1] ?? '').trim()}`;
  return /^(?:On|Am|Le|El)\s/i.test(line) && WROTE[0]!.test(joined);
}

/** The last line that is new text, when quoted lines are interleaved with answers after `from`. */
function interleavedEnd(lines: ReadonlyArray<string>, from: number): number | undefined {
  let sawQuote = false;
  let last: number | undefined;
  for (let j = from; j < lines.length; j++) {
    const l = lines[j] as string;
    if (QUOTED.test(l)) sawQuote = true;
    else if (!blank(l) && sawQuote) {
      if (SIG_RULE.test(l) || MOBILE.test(l)) break;
      last = j;
    }
  }
  return last;
}

/**
 * The new text of a reply, without the quoted history and the signature: cut at the first quote
 * header (Gmail's and Apple Mail's "On … wrote:", Thunderbird's, Japanese mailers'
 * 「2026年11月30日(月) 10:00 山田太郎 <taro@example.jp>:」), Outlook's header block or
 * "-----Original Message-----", a trailing run of `>` lines, a signature rule (`-- `, a line of
 * ━ or ＝), or a mobile footer ("Sent from my iPhone", 「iPhoneから送信」). Answers written
 * between quoted lines are kept with their quotes. When the cut would leave nothing, the whole
 * text is kept.
 *
 * @example
 * ```ts
 * trimReply('Thanks, that fixed it.\n\nOn Mon, 30 Nov 2026 at 10:00, Support <support@desk.example> wrote:\n> Please restart the app.').text;
 * // "Thanks, that fixed it."
 * ```
 */
export function trimReply(text: string): TrimmedReply {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  let cut: TrimmedReply['cut'];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (quoteHeader(lines, i)) {
      const inter = interleavedEnd(lines, i + 1);
      if (inter !== undefined && lines.slice(0, i).every(blank)) {
        end = inter + 1;
        cut = 'quoted_lines';
      } else {
        end = i;
        cut = 'quote_header';
      }
      break;
    }
    if (ORIGINAL.test(line) || outlookBlock(lines, i)) {
      end = i;
      cut = 'original_message';
      break;
    }
  }
  // A trailing run of quoted lines (no header before it).
  let k = end;
  while (k > 0 && (blank(lines[k - 1] as string) || QUOTED.test(lines[k - 1] as string))) k--;
  if (k < end && lines.slice(k, end).some((l) => QUOTED.test(l))) {
    end = k;
    cut ??= 'quoted_lines';
  }
  const kept = lines.slice(0, end);
  const sig = signatureStart(kept);
  if (sig !== undefined) {
    cut = cut ?? (MOBILE.test(kept[sig] as string) ? 'mobile_footer' : 'signature');
    kept.length = sig;
  }
  const out = kept.join('\n').trim();
  if (out === '') return { text: text.trim(), trimmed: false, cut: undefined };
  return { text: out, trimmed: out !== text.trim(), cut };
}

/** Where the signature starts: a `-- ` line, a rule near the end, or a mobile footer. */
function signatureStart(lines: ReadonlyArray<string>): number | undefined {
  let last = lines.length;
  while (last > 0 && blank(lines[last - 1] as string)) last--;
  for (let i = 0; i < last; i++) {
    const l = lines[i] as string;
    if (/^--\s?$/.test(l) && i > 0) return i;
    if (MOBILE.test(l) && last - i <= 3) return i;
    // A rule with a few short lines after it (name, company, phone), at the end of the message.
    if (SIG_RULE.test(l) && i > 0 && last - i <= 10 && lines.slice(i + 1, last).every((x) => x.length <= 80)) return i;
  }
  return undefined;
}
