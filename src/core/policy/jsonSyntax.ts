/**
 * Where a policy file's JSON goes wrong, and what to do about it, in words an operator at the agency reads: the
 * engine's own message names a position only for some faults, and none for a comma before `]` (it said 文件末尾 for a
 * full-width colon on line 3, a walk). This scanner accepts exactly what `JSON.parse` accepts (a property test holds it
 * to that) and, for anything else, gives the first offset where the text cannot go on and a hint for the usual slips:
 * full-width punctuation from a Chinese input method, a comma after the last item, a missing comma, unquoted names,
 * single quotes, an unfinished string, a bracket left open. Iterative, so a deep nest cannot overflow the stack.
 */

export interface JsonSyntaxProblem {
  /** UTF-16 offset into the text where it goes wrong (its length for an unfinished file). */
  offset: number;
  /** What is wrong there and how to mend it, one clause without a final stop. */
  hint: string;
}

/** Full-width punctuation a Chinese input method types, and the JSON character meant. */
const FULL_WIDTH: Readonly<Record<string, string>> = {
  '：': ':',
  '，': ',',
  '“': '"',
  '”': '"',
  '＂': '"',
  '［': '[',
  '］': ']',
  '｛': '{',
  '｝': '}',
  '【': '[',
  '】': ']',
  '　': ' ',
};

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const INVISIBLE = new Set(['\ufeff', '\u200b', '\u200c', '\u200d', '\u2060', '\u00a0']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

type Expecting =
  | 'value'
  | 'valueOrClose' // just after [
  | 'keyOrClose' // just after {
  | 'key' // after a comma in an object
  | 'colon'
  | 'afterValue';

const closerOf = (opener: string): string => (opener === '{' ? '}' : ']');

function fullWidth(char: string): JsonSyntaxProblem['hint'] | null {
  const meant = FULL_WIDTH[char];
  return meant === undefined
    ? null
    : `这里是全角的“${char}”，应是半角的“${meant === ' ' ? '空格' : meant}”（请切换到英文输入法再输入）`;
}

/** The end of the string that opens at `start` (the offset after its closing quote), or the problem in it. */
function scanString(text: string, start: number): number | JsonSyntaxProblem {
  for (let at = start + 1; at < text.length; at += 1) {
    const char = text[at] as string;
    if (char === '"') return at + 1;
    if (char === '\\') {
      const next = text[at + 1];
      if (next === 'u') {
        if (!HEX4.test(text.slice(at + 2, at + 6)))
          return { offset: at, hint: '“\\u”后面要跟 4 位十六进制数字（要写反斜杠本身请写成 \\\\）' };
        at += 5;
      } else if (next !== undefined && ESCAPES.has(next)) {
        at += 1;
      } else {
        return { offset: at, hint: '反斜杠“\\”后面的写法不对（要写反斜杠本身请写成 \\\\）' };
      }
    } else if (char.charCodeAt(0) < 0x20) {
      return char === '\n' || char === '\r'
        ? { offset: start, hint: '从这里开始的文字没有结束的半角双引号（文字里不能直接换行）' }
        : { offset: at, hint: '文字里有不能直接写的控制字符（例如制表符），请删去' };
    }
  }
  return { offset: start, hint: '从这里开始的文字没有结束的半角双引号' };
}

/** The end of the value that starts at `at` when it is a number or a literal, or the problem with it. */
function scanScalar(text: string, at: number): number | JsonSyntaxProblem {
  const char = text[at] as string;
  if (char === '-' || (char >= '0' && char <= '9')) {
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    const end = match ? at + match[0].length : at;
    const next = text[end];
    if (!match || (next !== undefined && /[0-9.eE+-]/.test(next)))
      return { offset: at, hint: '数字的写法不对（整数不能以 0 开头，小数点前后都要有数字，不能有千位逗号）' };
    if (next === '%') return { offset: end, hint: '数字后面不能写“%”：比例按说明写成整数（例如 70% 写成 7000）' };
    return end;
  }
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, at)) return at + literal.length;
    if (text.slice(at, at + literal.length).toLowerCase() === literal)
      return { offset: at, hint: `请写成全小写的 ${literal}` };
  }
  if (char === "'") return { offset: at, hint: '文字要用半角双引号“"”括起来，不能用单引号' };
  if (char === '}' || char === ']') return { offset: at, hint: `这里缺少一个值，却是“${char}”` };
  return {
    offset: at,
    hint: `这里应是一个值（数字、用半角双引号括起来的文字、true、false、null、{…} 或 […]），却是“${char}”`,
  };
}

/** The first place `text` is not JSON, with a hint; null when `JSON.parse` would accept it. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  const open: string[] = [];
  let expecting: Expecting = 'value';
  // The comma that came last, for "a comma after the last item".
  let lastComma = -1;
  let at = 0;
  for (;;) {
    while (at < text.length && WHITESPACE.has(text[at] as string)) at += 1;
    if (at >= text.length) {
      if (expecting === 'afterValue' && open.length === 0) return null;
      const top = open[open.length - 1];
      return {
        offset: text.length,
        hint:
          top !== undefined
            ? `文件不完整：结尾缺少“${closerOf(top)}”（或更多的括号）`
            : text.trim() === ''
              ? '文件是空的'
              : '文件不完整',
      };
    }
    const char = text[at] as string;
    if (expecting === 'afterValue' && open.length === 0)
      return { offset: at, hint: 'JSON 在前面已经结束，这里多出了内容（多了括号，或少了外层的括号）' };
    const wide = fullWidth(char);
    if (wide) return { offset: at, hint: wide };
    if (INVISIBLE.has(char)) return { offset: at, hint: '这里有一个看不见的字符（零宽空格或 BOM），请删去' };

    if (expecting === 'colon') {
      if (char !== ':') return { offset: at, hint: '名称后面缺少半角冒号“:”' };
      expecting = 'value';
      at += 1;
      continue;
    }

    if (expecting === 'afterValue') {
      const top = open[open.length - 1] as string;
      if (char === ',') {
        lastComma = at;
        expecting = top === '{' ? 'key' : 'value';
        at += 1;
      } else if (char === closerOf(top)) {
        open.pop();
        at += 1;
      } else if (char === '}' || char === ']') {
        return { offset: at, hint: `括号不配对：这里应是“${closerOf(top)}”` };
      } else {
        return { offset: at, hint: '上一项后面缺少半角逗号“,”' };
      }
      continue;
    }

    if (expecting === 'keyOrClose' || expecting === 'key') {
      if (char === '}') {
        if (expecting === 'key') return { offset: lastComma, hint: '最后一项后面多了一个逗号，请删去' };
        open.pop();
        expecting = 'afterValue';
        at += 1;
        continue;
      }
      if (char !== '"')
        return {
          offset: at,
          hint: char === "'" ? '名称要用半角双引号“"”括起来，不能用单引号' : '名称要用半角双引号“"”括起来',
        };
      const end = scanString(text, at);
      if (typeof end !== 'number') return end;
      expecting = 'colon';
      at = end;
      continue;
    }

    // A value (or, just after [, the ]).
    if (char === ']' && expecting === 'valueOrClose') {
      open.pop();
      expecting = 'afterValue';
      at += 1;
      continue;
    }
    if (char === ']' && lastComma >= 0 && open[open.length - 1] === '[' && text.slice(lastComma + 1, at).trim() === '')
      return { offset: lastComma, hint: '最后一项后面多了一个逗号，请删去' };
    if (char === '{' || char === '[') {
      open.push(char);
      expecting = char === '{' ? 'keyOrClose' : 'valueOrClose';
      at += 1;
      continue;
    }
    const end = char === '"' ? scanString(text, at) : scanScalar(text, at);
    if (typeof end !== 'number') return end;
    expecting = 'afterValue';
    at = end;
  }
}
