/**
 * A first look at JSON a client sent, before any schema walks it: how deep it nests, how big it is,
 * and whether any key is one a document store or a JavaScript object treats specially (`$where`,
 * `a.b`, `__proto__`, `constructor`, `prototype`). One loop over an explicit stack — no recursion —
 * so a value nested 5,000 (or 500,000) deep is measured and refused, never a stack overflow. It
 * stops at the first problem, so a huge value costs no more than the limits it passes.
 */

export interface JsonLimits {
  /** Containers (objects and arrays) inside one another; the value itself is depth 1. */
  maxDepth: number;
  /** An estimate of the JSON text's length: strings, keys and punctuation. */
  maxChars: number;
}

export type JsonProblemKind = 'notObject' | 'depth' | 'size' | 'key' | 'value';

export interface JsonProblem {
  kind: JsonProblemKind;
  /** Where it is: keys and array indexes from the top. */
  path: Array<string | number>;
  message: string;
}

const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a key may not appear in a stored document, or null. */
export function forbiddenKeyReason(key: string): string | null {
  if (RESERVED_KEYS.has(key)) return `不能使用名为「${key}」的字段`;
  if (key.startsWith('$')) return '字段名不能以 $ 开头';
  if (key.includes('.')) return '字段名不能包含 .';
  if (key.length === 0) return '字段名不能为空';
  return null;
}

interface Frame {
  value: unknown;
  depth: number;
  path: Array<string | number>;
}

/**
 * The first problem of `value` as a JSON object within `limits`, or null. Only plain JSON is
 * accepted: objects, arrays, strings, finite numbers, booleans and null.
 */
export function jsonObjectProblem(value: unknown, limits: JsonLimits): JsonProblem | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { kind: 'notObject', path: [], message: '内容应为一个对象' };
  const stack: Frame[] = [{ value, depth: 1, path: [] }];
  let chars = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const current = frame.value;
    if (typeof current === 'string') {
      chars += current.length + 2;
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) return { kind: 'value', path: frame.path, message: '数值不正确' };
      chars += 8;
    } else if (typeof current === 'boolean' || current === null) {
      chars += 5;
    } else if (typeof current === 'object') {
      if (frame.depth > limits.maxDepth)
        return { kind: 'depth', path: frame.path, message: `内容嵌套过深（最多 ${limits.maxDepth} 层）` };
      const prototype = Object.getPrototypeOf(current) as unknown;
      if (Array.isArray(current)) {
        chars += 2 + current.length;
        for (let index = current.length - 1; index >= 0; index -= 1)
          stack.push({ value: current[index], depth: frame.depth + 1, path: [...frame.path, index] });
      } else if (prototype === Object.prototype || prototype === null) {
        const keys = Object.keys(current);
        chars += 2;
        for (let index = keys.length - 1; index >= 0; index -= 1) {
          const key = keys[index]!;
          const reason = forbiddenKeyReason(key);
          if (reason) return { kind: 'key', path: [...frame.path, key], message: reason };
          chars += key.length + 4;
          stack.push({
            value: (current as Record<string, unknown>)[key],
            depth: frame.depth + 1,
            path: [...frame.path, key],
          });
        }
      } else {
        return { kind: 'value', path: frame.path, message: '内容格式不正确' };
      }
    } else {
      return { kind: 'value', path: frame.path, message: '内容格式不正确' };
    }
    if (chars > limits.maxChars)
      return { kind: 'size', path: [], message: `内容过大（上限约 ${Math.round(limits.maxChars / 1000)} 千字）` };
  }
  return null;
}
