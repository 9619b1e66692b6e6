/**
 * Where a match sits in its sentence: negated ("not angry", 「怒っているわけではありません」),
 * quoted or reported ("the agent told me to 'just sue us'", 「訴えればいいと言われた」).
 */

/** `[start, end)` of each sentence: split at 。！？!? and line breaks, and at ". " in Latin text. */
export function sentences(text: string): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  const boundary = /[。！？!?\n]+|\.(?=\s|$)\s*/gu;
  let start = 0;
  for (let m = boundary.exec(text); m !== null; m = boundary.exec(text)) {
    const end = m.index + m[0].length;
    if (text.slice(start, end).trim() !== '') out.push([start, end]);
    start = end;
  }
  if (text.slice(start).trim() !== '') out.push([start, text.length]);
  return out;
}

const EN_NEGATOR = /\b(?:not|never|no|nothing|nobody|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|can't|cannot|couldn't|shouldn't|without|hardly|neither|nor)\b/gi;
// A negator's reach ends at a clause boundary or at a new subject, unless the negated verb is one
// of saying or meaning ("I never said I was unhappy").
const EN_SCOPE_END = /[,;:—–]|\b(?:but|and|or|so|if|unless|otherwise|then|because|until|when)\b|\b(?:i|i'm|i'll|i've|i'd|we|we'll|we're|you|you'll|they|he|she|it)\b/i;
const EN_REPORTING = /^\s*(?:(?:really|actually|even|ever)\s+)?(?:say|said|saying|mean|meant|claim(?:ed)?|call(?:ed)?|think|thought|feel|felt)\b/i;

/** Whether a negator governs the English words at `start` of `sentence`. */
export function englishNegated(sentence: string, start: number): boolean {
  const before = sentence.slice(Math.max(0, start - 60), start);
  EN_NEGATOR.lastIndex = 0;
  let last: RegExpExecArray | null = null;
  for (let m = EN_NEGATOR.exec(before); m !== null; m = EN_NEGATOR.exec(before)) last = m;
  if (last === null) return false;
  const between = before.slice(last.index + last[0].length);
  if (between.trim().split(/\s+/).filter((w) => w !== '').length > 4) return false;
  return !EN_SCOPE_END.test(between) || EN_REPORTING.test(between);
}

const JA_NEGATED_AFTER = /^[^。！？、]{0,4}?(?:わけ(?:では|じゃ)な|わけ(?:では|じゃ)ありません|つもり(?:は|も)(?:な|ありません|ございません)|ことはな|ことはありません|(?:は|が|も)?(?:ない|ありません|ございません|なし|無い|ないです)|(?:し|して)(?:いない|いません|ない|ません))/u;

/** Whether the Japanese words before `after` are negated by what follows them in the sentence. */
export function japaneseNegated(after: string): boolean {
  if (/^[^。！？、]{0,2}しか|^[^。！？]{0,4}?(?:ないなら|なければ|ないと|ない場合|ないのであれば|ないなら)|^[^。！？]{0,3}?(?:辞さ|厭わ|いとわ)|^[^。！？]{0,2}?(?:仕方|しょうが|たまら)/u.test(after)) return false;
  return JA_NEGATED_AFTER.test(after);
}

const QUOTES: ReadonlyArray<readonly [string, string]> = [
  ['「', '」'],
  ['『', '』'],
  ['"', '"'],
  ['“', '”'],
];
const EN_REPORTED = /\b(?:said|told me|tells me|suggested|recommended|says)\b[^.!?]*\b(?:i|we)\s+(?:should|could|might|ought to)\b|\btold me to\b|\b(?:my|a) friend said\b/i;
const JA_REPORTED_AFTER = /^[^。！？]{0,8}?(?:と言われ|って言われ|とのこと|と聞き|と書いて|と出ます|と表示|と勧められ|たらと)/u;

/** Whether a match is somebody else's words: inside quotation marks, or reported ("told me to…"). */
export function quotedOrReported(sentence: string, start: number, end: number): boolean {
  for (const [open, close] of QUOTES) {
    const o = sentence.lastIndexOf(open, start - 1);
    if (o < 0) continue;
    const c = sentence.indexOf(close, o + 1);
    if (c >= end || (c < 0 && open !== close)) return true;
  }
  return EN_REPORTED.test(sentence.slice(0, start)) || JA_REPORTED_AFTER.test(sentence.slice(end));
}

const QUESTION_END = /(?:\?|？|(?:ですか|ますか|でしょうか|ませんか|のか)[。]?)\s*$/u;
const ASKING_EN = /^\s*(?:how|what|where|when|which|is there|are there|can i|could i|may i|do you|does|is it|should i|am i allowed)\b/i;
const ASKING_JA = /方法|どうすれば|どうやって|どのように|教えて|可能です|できますか/u;
const COUNTERFACTUAL_EN = /\bif (?:i|we|it|this|that) (?:were|was|had been|had)\b[^.!?]*\bwould\b|\b(?:i|we)(?:'d| would) be \w+ if\b/i;

/**
 * How much a sentence's own form weakens a threat or an emotion in it: an information question
 * ("can I take you to court for this?", 「訴える方法はありますか」) asks rather than threatens, and
 * a counterfactual ("if this were a real outage I would be furious") feels nothing yet. 1 means
 * not at all; the detector multiplies the confidence of threats (questions) or of threats and
 * emotions (counterfactuals), so the recommended rules ask an agent instead of acting.
 */
export function sentenceDoubt(sentence: string): { readonly question: number; readonly counterfactual: number } {
  const asking = QUESTION_END.test(sentence) && (ASKING_EN.test(sentence) || ASKING_JA.test(sentence));
  return { question: asking ? 0.7 : 1, counterfactual: COUNTERFACTUAL_EN.test(sentence) ? 0.5 : 1 };
}
