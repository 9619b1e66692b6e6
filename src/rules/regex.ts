import { ConfigError } from '../errors.js';

/**
 * Regular expressions for conditions, matched in time linear in the text: the pattern is
 * compiled to a Thompson NFA and run as a Pike VM (every thread advances one character at a
 * time, each state at most once per character), so `(a+)+$` cannot stall the process the way a
 * backtracking engine does. The syntax is JavaScript's with the `u` flag, less what needs
 * backtracking or more: back-references, lookaround and `\p{...}` are refused at definition.
 */
export interface LinearRegex {
  /** True when the pattern matches somewhere in `text` (like `RegExp.prototype.test`). */
  test(text: string): boolean;
  /** The pattern's source. */
  readonly source: string;
  /** NFA states of the compiled program: a match costs at most this many steps per character. */
  readonly size: number;
}

/** The largest compiled program accepted (bounded repeats such as `a{1000}` expand). */
export const MAX_REGEX_STATES = 10_000;

type Ranges = number[]; // sorted, disjoint [lo, hi] pairs of code points
type Node =
  | { t: 'empty' }
  | { t: 'set'; r: Ranges }
  | { t: 'cat'; xs: Node[] }
  | { t: 'alt'; xs: Node[] }
  | { t: 'rep'; x: Node; min: number; max: number }
  | { t: 'assert'; k: '^' | '$' | 'b' | 'B' };

const MAXCP = 0x10ffff;
const DIGIT: Ranges = [48, 57];
const WORD: Ranges = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE: Ranges = [9, 13, 32, 32, 160, 160, 5760, 5760, 8192, 8202, 8232, 8233, 8239, 8239, 8287, 8287, 12288, 12288, 65279, 65279];
const DOT: Ranges = complement([10, 10, 13, 13, 8232, 8233]);

function normalise(r: Ranges): Ranges {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < r.length; i += 2) pairs.push([r[i] as number, r[i + 1] as number]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] as number) + 1) out[last] = Math.max(out[last] as number, hi);
    else out.push(lo, hi);
  }
  return out;
}

function complement(r: Ranges): Ranges {
  const n = normalise(r);
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < n.length; i += 2) {
    if ((n[i] as number) > next) out.push(next, (n[i] as number) - 1);
    next = (n[i + 1] as number) + 1;
  }
  if (next <= MAXCP) out.push(next, MAXCP);
  return out;
}

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  refuse(what: string): never {
    throw new ConfigError('value', `"${this.src}": ${what} is not supported in conditions, which match in linear time; rewrite the pattern without it`);
  }

  peek(): string | undefined {
    return this.src[this.i];
  }

  parse(): Node {
    const node = this.alt();
    if (this.i < this.src.length) this.refuse(`"${this.src[this.i]}" at ${this.i}`);
    return node;
  }

  alt(): Node {
    const xs = [this.seq()];
    while (this.peek() === '|') {
      this.i++;
      xs.push(this.seq());
    }
    return xs.length === 1 ? (xs[0] as Node) : { t: 'alt', xs };
  }

  seq(): Node {
    const xs: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) xs.push(this.quantified(this.atom()));
    return xs.length === 0 ? { t: 'empty' } : xs.length === 1 ? (xs[0] as Node) : { t: 'cat', xs };
  }

  quantified(x: Node): Node {
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === '*' || c === '+' || c === '?') {
        this.i++;
        [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
      } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i)) as RegExpExecArray;
        this.i += m[0].length;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      } else return x;
      if (this.peek() === '?') this.i++; // lazy or greedy: the same for whether it matches
      x = { t: 'rep', x, min, max };
    }
  }

  atom(): Node {
    const c = this.src[this.i++] as string;
    switch (c) {
      case '(': {
        if (this.src.startsWith('?:', this.i)) this.i += 2;
        else if (this.src.startsWith('?<', this.i) && !/^\?<[=!]/.test(this.src.slice(this.i))) this.i = this.src.indexOf('>', this.i) + 1;
        else if (this.peek() === '?') this.refuse('lookaround');
        const x = this.alt();
        this.i++; // ')': the syntax was checked by RegExp already
        return x;
      }
      case '[':
        return { t: 'set', r: this.klass() };
      case '.':
        return { t: 'set', r: DOT };
      case '^':
      case '$':
        return { t: 'assert', k: c };
      case '\\':
        return this.escape(false);
      default: {
        const cp = this.src.codePointAt(this.i - 1) as number;
        if (cp > 0xffff) this.i++;
        return { t: 'set', r: [cp, cp] };
      }
    }
  }

  /** After a backslash: a node outside classes, a set inside them. */
  escape(inClass: boolean): Node {
    const c = this.src[this.i++] as string;
    const set = (r: Ranges): Node => ({ t: 'set', r });
    switch (c) {
      case 'd':
        return set(DIGIT);
      case 'D':
        return set(complement(DIGIT));
      case 'w':
        return set(WORD);
      case 'W':
        return set(complement(WORD));
      case 's':
        return set(SPACE);
      case 'S':
        return set(complement(SPACE));
      case 'b':
        return inClass ? set([8, 8]) : { t: 'assert', k: 'b' };
      case 'B':
        return { t: 'assert', k: 'B' };
      case 't':
        return set([9, 9]);
      case 'n':
        return set([10, 10]);
      case 'v':
        return set([11, 11]);
      case 'f':
        return set([12, 12]);
      case 'r':
        return set([13, 13]);
      case '0':
        return set([0, 0]);
      case 'c': {
        const cp = (this.src.charCodeAt(this.i++) as number) % 32;
        return set([cp, cp]);
      }
      case 'x': {
        const cp = parseInt(this.src.slice(this.i, this.i + 2), 16);
        this.i += 2;
        return set([cp, cp]);
      }
      case 'u': {
        let cp: number;
        if (this.peek() === '{') {
          const end = this.src.indexOf('}', this.i);
          cp = parseInt(this.src.slice(this.i + 1, end), 16);
          this.i = end + 1;
        } else {
          cp = parseInt(this.src.slice(this.i, this.i + 4), 16);
          this.i += 4;
          const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.src.slice(this.i));
          if (cp >= 0xd800 && cp <= 0xdbff && low !== null) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (parseInt(low[1] as string, 16) - 0xdc00);
            this.i += 6;
          }
        }
        return set([cp, cp]);
      }
      case 'p':
      case 'P':
        return this.refuse('a Unicode property escape (\\p{...})');
      case 'k':
        return this.refuse('a named back-reference');
      default:
        if (c >= '1' && c <= '9') return this.refuse('a back-reference');
        return set([c.charCodeAt(0), c.charCodeAt(0)]);
    }
  }

  klass(): Ranges {
    const negate = this.peek() === '^';
    if (negate) this.i++;
    const out: Ranges = [];
    const single = (): Ranges => {
      if (this.src[this.i] === '\\') {
        this.i++;
        const n = this.escape(true);
        return n.t === 'set' ? n.r : this.refuse('an assertion in a class');
      }
      const cp = this.src.codePointAt(this.i) as number;
      this.i += cp > 0xffff ? 2 : 1;
      return [cp, cp];
    };
    while (this.peek() !== ']') {
      const a = single();
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && a.length === 2 && a[0] === a[1]) {
        this.i++;
        const b = single();
        out.push(a[0] as number, b[1] as number);
      } else out.push(...a);
    }
    this.i++;
    const r = normalise(out);
    return negate ? complement(r) : r;
  }
}

// The program: one instruction per state. CHAR tests a set and moves on; SPLIT forks; JMP jumps.
const CHAR = 0;
const SPLIT = 1;
const JMP = 2;
const ASSERT = 3;
const MATCH = 4;

interface Program {
  op: number[];
  x: number[];
  y: number[];
  sets: Array<Ranges | undefined>;
  kinds: string[];
}

function emit(p: Program, op: number, x = 0, y = 0, set?: Ranges, kind = ''): number {
  if (p.op.length >= MAX_REGEX_STATES) throw new ConfigError('value', `the pattern compiles to more than ${MAX_REGEX_STATES.toLocaleString('en')} states; use smaller bounded repeats ({n,m})`);
  p.op.push(op);
  p.x.push(x);
  p.y.push(y);
  p.sets.push(set);
  p.kinds.push(kind);
  return p.op.length - 1;
}

function compileNode(p: Program, n: Node): void {
  switch (n.t) {
    case 'empty':
      return;
    case 'set':
      emit(p, CHAR, 0, 0, n.r);
      return;
    case 'assert':
      emit(p, ASSERT, 0, 0, undefined, n.k);
      return;
    case 'cat':
      for (const x of n.xs) compileNode(p, x);
      return;
    case 'alt': {
      const jumps: number[] = [];
      for (let i = 0; i < n.xs.length; i++) {
        if (i < n.xs.length - 1) {
          const split = emit(p, SPLIT);
          p.x[split] = split + 1;
          compileNode(p, n.xs[i] as Node);
          jumps.push(emit(p, JMP));
          p.y[split] = p.op.length;
        } else compileNode(p, n.xs[i] as Node);
      }
      for (const j of jumps) p.x[j] = p.op.length;
      return;
    }
    case 'rep': {
      for (let i = 0; i < n.min; i++) compileNode(p, n.x);
      if (n.max === Infinity) {
        const split = emit(p, SPLIT);
        p.x[split] = split + 1;
        compileNode(p, n.x);
        emit(p, JMP, split);
        p.y[split] = p.op.length;
        return;
      }
      const splits: number[] = [];
      for (let i = n.min; i < n.max; i++) {
        const split = emit(p, SPLIT);
        p.x[split] = split + 1;
        splits.push(split);
        compileNode(p, n.x);
      }
      for (const s of splits) p.y[s] = p.op.length;
      return;
    }
  }
}

const inSet = (r: Ranges, cp: number): boolean => {
  let lo = 0;
  let hi = (r.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < (r[2 * mid] as number)) hi = mid - 1;
    else if (cp > (r[2 * mid + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
};
const isWord = (cp: number): boolean => (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || cp === 95 || (cp >= 97 && cp <= 122);

/**
 * Compile `source` (JavaScript syntax, `u` flag) into a {@link LinearRegex}.
 * @throws ConfigError when the pattern is not a valid regular expression, uses what linear-time
 * matching cannot (back-references, lookaround, `\p{...}`), or compiles to more than
 * {@link MAX_REGEX_STATES} states.
 */
export function compileLinearRegex(source: string): LinearRegex {
  if (typeof source !== 'string') throw new ConfigError('value', 'a regular expression is written as a string, e.g. "order \\d{4}$"');
  try {
    new RegExp(source, 'u');
  } catch (e) {
    throw new ConfigError('value', `"${source}" is not a valid regular expression (${e instanceof Error ? e.message : String(e)})`);
  }
  const p: Program = { op: [], x: [], y: [], sets: [], kinds: [] };
  compileNode(p, new Parser(source).parse());
  emit(p, MATCH);
  const size = p.op.length;
  const { op, x, y, sets, kinds } = p;
  const mark = new Int32Array(size);
  const stack = new Int32Array(size * 2 + 2);
  let gen = 0;
  return {
    source,
    size,
    test(text) {
      let clist = new Int32Array(size);
      let nlist = new Int32Array(size);
      let cn = 0;
      const n = text.length;
      // Follow jumps, forks and assertions from `pc` at position `pos`; true when MATCH is reached.
      const add = (list: Int32Array, count: number, pc0: number, pos: number, prev: number, next: number): number => {
        let sp = 0;
        stack[sp++] = pc0;
        while (sp > 0) {
          const pc = stack[--sp] as number;
          if (mark[pc] === gen) continue;
          mark[pc] = gen;
          switch (op[pc]) {
            case JMP:
              stack[sp++] = x[pc] as number;
              break;
            case SPLIT:
              stack[sp++] = y[pc] as number;
              stack[sp++] = x[pc] as number;
              break;
            case ASSERT: {
              const k = kinds[pc];
              const ok = k === '^' ? pos === 0 : k === '$' ? pos === n : (isWord(prev) !== isWord(next)) === (k === 'b');
              if (ok) stack[sp++] = pc + 1;
              break;
            }
            case MATCH:
              return -1;
            default:
              list[count++] = pc;
          }
        }
        return count;
      };
      // Generations mark the states seen per character; restart them long before Int32 runs out.
      if (gen > 1 << 30) {
        mark.fill(0);
        gen = 0;
      }
      gen++;
      let prev = -1;
      for (let pos = 0; ; ) {
        const cp = pos < n ? (text.codePointAt(pos) as number) : -1;
        cn = add(clist, cn, 0, pos, prev, cp);
        if (cn < 0) return true;
        if (pos >= n) return false;
        const step = cp > 0xffff ? 2 : 1;
        const nextCp = pos + step < n ? (text.codePointAt(pos + step) as number) : -1;
        gen++;
        let nn = 0;
        for (let i = 0; i < cn; i++) {
          const pc = clist[i] as number;
          if (inSet(sets[pc] as Ranges, cp)) {
            nn = add(nlist, nn, pc + 1, pos + step, cp, nextCp);
            if (nn < 0) return true;
          }
        }
        [clist, nlist] = [nlist, clist];
        cn = nn;
        prev = cp;
        pos += step;
      }
    },
  };
}
