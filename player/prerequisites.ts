/**
 * SCORM 1.2 `adlcp:prerequisites` (AICC script, SCORM 1.2 CAM 2.3.2.5.1): identifiers of items,
 * `&` and, `|` or, `~` not, parentheses, `id = "status"` / `id <> "status"` comparisons and
 * `n*{id, id, …}` (at least n of the set). A bare identifier is true when that item is passed or
 * completed. Pure; a script that does not parse gates nothing (the author's error must not lock a
 * learner out), which `parsePrerequisites` reports as undefined.
 */

/** A parsed prerequisites expression: true when the statuses (SCORM 1.2 lesson_status by item id) meet it. */
export type Prerequisite = (status: (id: string) => string) => boolean;

type Tok = { t: 'id' | 'str' | 'num' | 'op'; v: string };

function tokens(src: string): Tok[] | undefined {
  const out: Tok[] = [];
  const re = /\s*(?:(<>|[&|~=(){},*])|"([^"]*)"|(\d+)(?=\s*\*)|([^\s&|~=(){},*"<>]+))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push({ t: 'op', v: m[1] });
    else if (m[2] !== undefined) out.push({ t: 'str', v: m[2] });
    else if (m[3] !== undefined) out.push({ t: 'num', v: m[3] });
    else if (m[4] !== undefined) out.push({ t: 'id', v: m[4] });
    i = re.lastIndex;
  }
  return out;
}

const DONE = new Set(['passed', 'completed']);

/** Parses a prerequisites script; undefined when it does not parse. */
export function parsePrerequisites(src: string): Prerequisite | undefined {
  const toks = tokens(src);
  if (!toks || toks.length === 0) return undefined;
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const take = (v?: string): Tok => {
    const t = toks[p];
    if (!t || (v !== undefined && t.v !== v)) throw new Error('syntax');
    p++;
    return t;
  };
  const or = (): Prerequisite => {
    let left = and();
    while (peek()?.v === '|') {
      take('|');
      const l = left;
      const r = and();
      left = (s) => l(s) || r(s);
    }
    return left;
  };
  const and = (): Prerequisite => {
    let left = unary();
    while (peek()?.v === '&') {
      take('&');
      const l = left;
      const r = unary();
      left = (s) => l(s) && r(s);
    }
    return left;
  };
  const unary = (): Prerequisite => {
    const t = peek();
    if (t?.v === '~') {
      take('~');
      const inner = unary();
      return (s) => !inner(s);
    }
    if (t?.v === '(') {
      take('(');
      const inner = or();
      take(')');
      return inner;
    }
    if (t?.t === 'num') {
      const n = Number(take().v);
      take('*');
      take('{');
      const ids = [take().v];
      while (peek()?.v === ',') {
        take(',');
        ids.push(take().v);
      }
      take('}');
      return (s) => ids.filter((id) => DONE.has(s(id))).length >= n;
    }
    if (t?.t !== 'id') throw new Error('syntax');
    const id = take().v;
    const cmp = peek()?.v;
    if (cmp === '=' || cmp === '<>') {
      take();
      const want = take().v.toLowerCase();
      return cmp === '=' ? (s) => s(id) === want : (s) => s(id) !== want;
    }
    return (s) => DONE.has(s(id));
  };
  try {
    const expr = or();
    return p === toks.length ? expr : undefined;
  } catch {
    return undefined;
  }
}
