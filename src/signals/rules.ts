import type { SignalKind } from '../domain/signal.js';

/**
 * One rule of the built-in detector (or of a lexicon you add, compiled to this form): a pattern
 * that signals something, with the context that cancels it.
 */
export interface SignalRule {
  readonly kind: SignalKind;
  /** A finer label, e.g. `angry`, `exasperated`, `sarcasm`, `lawyer`, `indirect`. */
  readonly label: string;
  /** `en`, `ja`, or the language of a lexicon you add. */
  readonly language: string;
  /** Matched case-insensitively within one sentence. */
  readonly pattern?: RegExp | undefined;
  /** Japanese dictionary forms, matched in any conjugation (`殺す` finds 殺してやる, 殺される). */
  readonly lemmas?: ReadonlyArray<string> | undefined;
  /** How sure a match is, 0–1: the share of its matches that were right on the labelled corpus. */
  readonly confidence: number;
  /** Context in the same sentence that shows the words mean something else (`kill` + `process`). */
  readonly unless?: RegExp | undefined;
  /** The phrase carries its own negation (「許せない」, "can't believe"): a negator does not cancel it. */
  readonly fixed?: boolean | undefined;
  /** Kinds this match cancels in its sentence: sarcasm cancels gratitude. */
  readonly overrides?: ReadonlyArray<SignalKind> | undefined;
}

type Extra = Partial<Pick<SignalRule, 'unless' | 'fixed' | 'overrides' | 'lemmas'>>;
const en = (kind: SignalKind, label: string, pattern: RegExp, confidence: number, extra: Extra = {}): SignalRule => ({ kind, label, language: 'en', pattern, confidence, ...extra });
const ja = (kind: SignalKind, label: string, pattern: RegExp | null, confidence: number, extra: Extra = {}): SignalRule => ({ kind, label, language: 'ja', pattern: pattern ?? undefined, confidence, ...extra });

const TECH_EN = /\b(?:process(?:es)?|job|jobs|task|tasks|session|sessions|containers?|command|signal|pid|thread|quer(?:y|ies)|connections?|keys?|tabs?|battery|print|printer|server|service|daemon|game|boss fight|final boss|level|character|test(?:s|ing)?|tested|load|ddos|firewall|security|penetration|qa)\b/i;
const ROLE_EN = /\b(?:role|account|accounts|mode|dashboard|view|permissions?|approved?|access|login|misspel\w*|plugin|package|task manager|password|admin|purchase order)\b/i;
const WHO = String.raw`(?:a|an|the|your|ur|some)?\s*(?:line\s+|senior\s+|complaints\s+|floor\s+|duty\s+)?(?:manager|supervisor|boss|team\s*lead(?:er)?|management|superior|head of [a-z ]{3,30}|person in charge|someone (?:more\s+)?senior|someone (?:in charge|higher up|above you)|(?:a\s+)?senior member of staff|somebody (?:senior|in charge))`;

/** The built-in English rules. */
export const ENGLISH_RULES: ReadonlyArray<SignalRule> = [
  en('emotion', 'frustrated', /\b(?:frustrat\w*|fed up|sick (?:and tired )?of|had it with|had enough|losing my patience|lost my patience|at the end of my (?:rope|tether)|so done with|at my wits'? end)\b/i, 0.93),
  en('emotion', 'angry', /\b(?:angry|anger|furious|livid|outraged|outrageous|infuriat\w*|fuming|disgust\w*|annoy(?:ed|ing)|pissed off|irate|enraged)\b/i, 0.95),
  en('emotion', 'upset', /\b(?:upset|disappoint\w*|unhappy|let down|heartbroken|gutted|devastated|nightmare|disgrace\w*|appalled|appalling|shocking|terrible service|awful service)\b/i, 0.94),
  en('emotion', 'upset', /\bnot (?:at all )?(?:happy|pleased|satisfied)\b/i, 0.94, { fixed: true, unless: /\bif (?:i'?m|i am|we'?re|we are|you'?re|they'?re)\s+not\b/i }),
  en('emotion', 'stressed', /\b(?:stressed|stressful|stress|anxious|worried|worrying|panic\w*|desperate)\b/i, 0.83, { unless: TECH_EN }),
  en('emotion', 'exasperated', /\b(?:ridiculous|absurd|unacceptable|unbelievable|a joke|what a joke|joke of a|beyond (?:frustrating|annoying|a joke)|wasted (?:hours|days|weeks|my time|so much time)|waste of (?:my )?time|can'?t believe|cannot believe)\b|\bseriously\?/i, 0.91, { fixed: true }),
  en('emotion', 'exasperated', /\b(?:how many (?:more )?times|(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) time (?:i|that|now|in|this)|yet again|once again|again and again|every single (?:time|month|week|day))\b/i, 0.91),
  en('emotion', 'exasperated', /\b(?:still (?:not|no|isn'?t|hasn'?t|haven'?t|doesn'?t|don'?t|waiting|broken|nothing)|(?:been )?waiting (?:for )?(?:over |more than )?(?:two|three|four|five|six|several|\d+) (?:days|weeks|months|hours)|two weeks\. two weeks|nobody (?:ever )?(?:reads|answers|calls|replies|responds|gets back|bothers)|no one (?:ever )?(?:reads|answers|calls|replies|responds|gets back|bothers)|why does nobody|you promised|you said it would)\b/i, 0.91, { fixed: true }),
  en('emotion', 'exasperated', /(?:\?!|!\?|!{2,}|\bplease\b(?=[^.]*\?!)|\b[A-Z]{2,}(?:\s+[A-Z']{2,}){3,}\b)/u, 0.91, { fixed: true }),
  en('emotion', 'sarcasm', /\b(?:thanks for nothing|thanks a lot,? (?:now|for (?:nothing|wasting|ruining|losing))|great,? just great|oh (?:great|wonderful|brilliant|fantastic|perfect|joy)|(?:brilliant|great|excellent|fantastic|amazing|wonderful|stellar|fabulous) (?:service|support|job|work),? (?:as usual|again|guys|everyone)|well done,? you (?:managed|have managed)|love how (?:i|you|every)|really impressive how|nice one,? (?:guys|you)|so glad i (?:paid|chose|trusted))\b/i, 0.83, { overrides: ['gratitude'], fixed: true }),
  en('supervisor_request', 'supervisor', new RegExp(String.raw`\b(?:speak|talk|speaking|talking|chat|deal|raise (?:this|it)|make a complaint|complain)\s+(?:with|to)\s+${WHO}`, 'i'), 0.97, { unless: ROLE_EN }),
  en('supervisor_request', 'supervisor', new RegExp(String.raw`\b(?:get|put|transfer|pass|escalate|refer|forward|hand|send|move|connect)\s+(?:me|this|it|my (?:case|complaint|call|ticket|issue))?\s*(?:on\s+|over\s+|through\s+|up\s+)?to\s+${WHO}`, 'i'), 0.97, { unless: ROLE_EN }),
  en('supervisor_request', 'supervisor', new RegExp(String.raw`\b(?:i want|i need|i'd like|i would like|i demand|i insist on|get me|give me|can i (?:have|get)|could i (?:have|get)|bring me)\s+${WHO}`, 'i'), 0.97, { unless: ROLE_EN }),
  en('supervisor_request', 'supervisor', new RegExp(String.raw`(?:^|[.!?]\s*)${WHO},?\s+(?:please|now)\b|\b${WHO}\s+(?:to\s+)?(?:call|contact|ring|phone|email|review|look at)\s+(?:me|this|my|the)\b|\b(?:who is|who's|name (?:and \w+ )?of)\s+${WHO}|\bis there ${WHO}\s+i can\b|\bsomeone (?:more )?senior\b|\bsomeone who can (?:actually )?make a decision\b|\bhigher up\b`, 'i'), 0.97, { unless: ROLE_EN }),
  en('supervisor_request', 'escalation', /\bescalat(?:e|ed|ing)\s+(?:this|it|my (?:case|complaint|ticket|issue))\b|\b(?:want|need|like) (?:this|it|my \w+) escalated\b/i, 0.82, { unless: /\b(?:permissions?|privileges?|policy|engineering|developers?|dev team)\b/i }),
  en('legal_threat', 'lawyer', /\b(?:lawyers?|attorneys?|solicitors?|legal (?:action|advice|proceedings|team|counsel|representation)|my legal)\b/i, 0.94, { unless: /\b(?:our (?:legal|law)|legal (?:team|department) (?:needs|is asking|wants|asked)|i'?m a lawyer|i am a lawyer|lawyer at our|tax return|nda|dpa|gdpr|compliance|data processing|billing address)\b/i }),
  en('legal_threat', 'lawsuit', /\b(?:sue|suing|lawsuit|litigation|take you to court|see you in court|small claims|in court|to court|through the courts|pursue (?:it|this) (?:in court|legally)|seek(?:ing)? damages|class action|breach of contract|this is illegal|formal notice)\b/i, 0.95, { unless: /\bcourt date\b/i }),
  en('legal_threat', 'regulator', /\b(?:ombudsman|trading standards|consumer protection|better business bureau|bbb|attorney general|ftc|fca|ofcom|regulator|data protection (?:authority|commissioner)|ico|(?:report|reporting|turn) (?:you|this|it|your (?:company|firm|business)) (?:in )?to (?:the )?(?:police|authorities|regulator|ftc|bbb)|report (?:this|you) to the police|to the police as fraud|(?:formal )?complaint with the (?:ftc|fca|regulator|ombudsman|authorities))\b/i, 0.95),
  en('physical_threat', 'violence', /\b(?:kill|murder|strangle|stab|shoot)\s+(?:you|him|her|them|someone|somebody|anyone|everyone|whoever|the \w+|your \w+)\b|\b(?:hurt|beat|punch(?:ed)?|smack|slap|knock)\s+(?:you|him|her|them|someone|somebody|anyone|your \w+)\b|\bbreak (?:his|her|your|their) (?:legs?|arms?|nose|neck|face|jaw)\b|\bsmash (?:your|his|her|every|the)\b|\b(?:burn|torch) (?:your|the|it|this|down)\b|\bto the ground\b|\bget(?:ting)? hurt\b|\bbeat the \w+ out of\b|\bwith (?:my|their|his|our) fists\b|\bteach [\w ]{1,30} a lesson\b/i, 0.93, { unless: /\b(?:process(?:es)?|job|jobs|task|tasks|session|sessions|containers?|keys?|tokens?|api|boss fight|final boss|battery|print jobs|the app|smash repair|hurt-proof)\b/i }),
  en('physical_threat', 'weapon', /\b(?:bring|carry|carrying|got|have) (?:a|my) (?:gun|knife|bat|baseball bat|weapon)\b/i, 0.9),
  en('physical_threat', 'indirect', /\b(?:watch (?:your|ur) back|know where (?:you|your office|your \w+) (?:is|are|live)|i know where you live|waiting (?:for you |for (?:him|her|your \w+) )?(?:outside|in the car park)|come down there|turn up at your|show up at your|find (?:you|him|her|the \w+ who)|track (?:you|him|her) down|make you (?:pay|sorry|regret)|you'?ll regret|never feel safe|see what happens|deal with (?:him|her|you) myself|lucky i didn'?t)\b/i, 0.88, { fixed: true }),
  en('abuse', 'insult', /\b(?:idiot\w*|moron\w*|imbecile\w*|dumbass\w*|dumb|clowns?|incompetent|pathetic|jerks?|losers?|cretins?|morons|halfwits?|learn to read)\b/i, 0.95, { unless: /\b(?:dumb question|stupid question|may be dumb|might be dumb|(?:i'?m|i am) (?:an )?idiot)\b/i }),
  en('abuse', 'insult', /\b(?:stupid|useless)\b(?=[^.!?]*\b(?:you|your|people|lot|staff|company|idiots?|bastards?|clowns?)\b)|\b(?:you(?:'re| are)?|you people|you lot)\s+(?:\w+\s+)?(?:stupid|useless)\b/i, 0.95, { unless: /\bstupid question\b/i }),
  en('abuse', 'profanity', /\b(?:fuck\w*|f\*+ck\w*|f\*+\w*|shit\w*|bullshit|bastards?|assholes?|arseholes?|damn|crap|bloody|piss off|screw you|wtf)\b/i, 0.94),
  en('abuse', 'dismissive', /\bshut up\b/i, 0.82),
  en('gratitude', 'thanks', /\b(?:thank you|thanks|thank u|thx|ty|many thanks|much appreciated|appreciate (?:it|that|you|the|your|this)|really appreciate|grateful|cheers|you'?re a star|great help|a big help)\b/i, 0.95, { unless: /\b(?:thanks in advance|thank you in advance|no thanks|no thank you|thanks for nothing)\b/i }),
];

const TECH_JA = /(?:プロセス|タスク|コマンド|kill|セッション|ジョブ|コンテナ|ゲーム|ラスボス|ボス戦|敵|殺虫|テスト|試験|セキュリティ|サイバー|ブルートフォース|DDoS|侵入テスト|ゴミ|火災|報知器)/iu;
const ROLE_JA = /(?:承認|権限|アカウント|欄|変更する方法|ダッシュボード|モード|向け|宛|おすすめ|確認してから|相談したところ|指示され|指定|設定)/u;
const SENIOR_JA = '(?:責任者|上司|上の(?:人|者|方)|上の立場の(?:方|人)|上長|上席|管理職|管理者|店長|社長|部長(?:クラス)?|課長|偉い人|話のわかる人|話の分かる人|別の担当者?|担当者?)';

/** The built-in Japanese rules. */
export const JAPANESE_RULES: ReadonlyArray<SignalRule> = [
  ja('emotion', 'frustrated', /イライラ|いらいら|うんざり|我慢の限界|限界です|たらい回し|疲れました|もう嫌/u, 0.93),
  ja('emotion', 'angry', /怒り|腹立たし|ふざけ(?:ないで|るな|んな|てる|ている)|いい加減にし|頭に(?:き|来)|激怒|ムカつ|むかつ/u, 0.95, { lemmas: ['怒る', '腹が立つ', '頭にくる', '頭に来る'] }),
  ja('emotion', 'angry', /許せ(?:ない|ません|ねえ)|納得(?:でき|いか|いき)(?:ない|ません)|信じられ(?:ない|ません)|話にならない|理解に苦しみ|ひどすぎ|ひどい|酷い|最悪|台無し|迷惑(?:して|です|だ)/u, 0.95, { fixed: true }),
  ja('emotion', 'upset', /不満|がっかり|失望|遺憾|残念(?!ながら)|期待していた(?:のに|だけに)|期待していただけに/u, 0.93),
  ja('emotion', 'upset', null, 0.93, { lemmas: ['困る'] }),
  ja('emotion', 'stressed', /ストレス(?!テスト)|不安(?!定)|心配|焦って|眠れ(?:ない|ません)|胃が痛/u, 0.86, { unless: /負荷|テスト/u }),
  ja('emotion', 'exasperated', /何度(?:も)?(?:言|説明|電話|連絡|問い合わせ|お願い)|何回(?:も|同じ)|(?:[0-9０-９]+|[二三四五六七八九十]+)回目|いつまで(?:待|かか)|いつになったら|一体どう|どうなって(?:いる|る)んですか|再三|一向に|前回も同じ|毎回(?:こちらから|同じ)|なぜ毎回|何の連絡も|待っているのに|またか(?:よ|[。！!])|まだ(?:直って|届いて|返事|連絡|返金|解決)[^。！？]{0,6}(?:ない|ません|か)/u, 0.89, { fixed: true }),
  ja('emotion', 'sarcasm', /さすがですね[、。]?(?:また|今回も)|素晴らしい(?:サポート|対応|会社|サービス)ですね[^。]*(?:（笑）|\(笑\)|とは|なし|また)|おかげで[^。]{0,10}(?:無駄|台無し|大損)|お礼を言いたいくらい/u, 0.82, { overrides: ['gratitude'], fixed: true }),
  ja('supervisor_request', 'supervisor', new RegExp(`${SENIOR_JA}(?:の方)?(?:を|に|と|から|は|で)?(?:、)?[^。！？]{0,6}?(?:出(?:して|せ|さ)|代わ|替わ|変え(?:て|ろ)|替え(?:て|ろ|てほし)|話(?:を)?(?:させ|したい|がしたい)|話をさせ|お話し(?:させ|したい|を)|取り次|つな(?:いで|げ)|呼んで|呼べ|直接|(?:ご)?連絡(?:を)?(?:ください|お願い|いただ|して)|(?:お)?電話(?:を)?(?:ください|いただ)|折り返し|ご?判断いただ|説明をいただ|対応していただきたい|上げていただ|お願いします|をお願い|いますか|いないんですか|いないのですか)`, 'u'), 0.97, { unless: ROLE_JA }),
  ja('legal_threat', 'lawsuit', /訴訟|裁判(?!所)|法的(?:措置|手段|な対応|対応|手続)|出るところに出|内容証明|しかるべき機関|然るべき機関|法テラス/u, 0.96, { lemmas: ['訴える'] }),
  ja('legal_threat', 'lawyer', /弁護士/u, 0.94, { unless: /私は弁護士|顧問弁護士が|弁護士で、/u }),
  ja('legal_threat', 'regulator', /消費者センター|消費生活センター|国民生活センター|消費者庁|監督官庁|警察に(?:相談|通報|被害|訴え|届け|行)|被害届|通報(?:します|しました|する(?:つもり|から)|させて)/u, 0.93, { unless: /方法|警察署に提出|警察が/u }),
  ja('physical_threat', 'violence', /ぶっ殺|ぶん殴|火をつけ|燃やして(?:やる|やろう)|潰してやる|壊してやる|待ち伏せ|刃物|痛い目|後悔させ|殺されたい/u, 0.96, { lemmas: ['殺す', '殴る', '乗り込む', '突き止める'], unless: TECH_JA }),
  ja('physical_threat', 'indirect', /覚悟(?:しておけ|しとけ|しろ|しておいて|してください|しなさい)|覚えてろ|覚えておけ|覚えとけ|顔[、]?覚えた|夜道に(?:は)?気をつけ|帰り道(?:に|には)?(?:は)?気をつけ|どうなっても知らない|ただじゃ(?:おかない|済まない|すまない)|ただでは(?:済まさない|済まない|おかない)|家族がどうなっても|(?:今から|明日)(?:そっち|そちら)に行/u, 0.88, { fixed: true }),
  ja('abuse', 'insult', /バカ|ばか(?!り)|馬鹿|アホ|あほ|役立たず|無能|能無し|クズ|ボケ|頭おかしい|脳みそ入って|黙れ|てめえ|テメエ|日本語も読めない|使えない(?:担当|奴|やつ|人|オペレーター|サポート)/u, 0.95, { fixed: true }),
  ja('abuse', 'profanity', /クソ|くそ|ちくしょう|畜生/u, 0.91, { fixed: true }),
  ja('gratitude', 'thanks', /ありがとう|有難う|有り難う|感謝|助かりました|助かります|助かる|お礼|御礼|おかげさまで|嬉しかった|うれしかった/u, 0.95),
];
