/**
 * Free text a person types (titles, hospital and item names, bank name, reasons, upload names) is
 * shown again on cards, in lists, in subscribe messages and on the reviewer's screen. Characters
 * that do not print there are refused at every boundary, each with a message that names the field:
 *
 * - control characters: C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F); tab, line feed and
 *   carriage return only where the field is multi-line;
 * - the line and paragraph separators U+2028 / U+2029 (a line break that no form field means);
 * - bidi controls: U+200E/U+200F, U+061C, U+202A–U+202E, U+2066–U+2069 (they reorder what the
 *   reader sees: "U+202E" makes 1234 read as 4321);
 * - zero-width characters: U+200B–U+200D, U+2060, U+FEFF (BOM), U+180E;
 * - lone surrogates (half of a character: broken UTF-16, unprintable, unsendable);
 * - U+FFFD, the replacement character a broken encoding leaves where a character was.
 *
 * Scanned by char code, without regular-expression features the mini-program's older JavaScript
 * engines lack (lookbehind), so the same check runs in the app and in the cloud.
 */
import * as z from 'zod';

export type UnsafeCharacterKind = 'control' | 'lineBreak' | 'bidi' | 'zeroWidth' | 'surrogate' | 'replacement';

export interface UnsafeCharacter {
  kind: UnsafeCharacterKind;
  /** Index in UTF-16 code units. */
  index: number;
  /** The offending code unit (for a lone surrogate, the surrogate itself). */
  codePoint: number;
}

export interface PlainTextOptions {
  /** Tab, line feed and carriage return allowed (a reason, a note): never in a one-line field. */
  multiline?: boolean;
}

const BIDI: ReadonlySet<number> = new Set([
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);
const ZERO_WIDTH: ReadonlySet<number> = new Set([0x180e, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);
const MULTILINE_ALLOWED: ReadonlySet<number> = new Set([0x09, 0x0a, 0x0d]);

function kindOf(code: number, multiline: boolean): UnsafeCharacterKind | null {
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return multiline && MULTILINE_ALLOWED.has(code) ? null : 'control';
  if (code < 0x061c) return null;
  if (code === 0x2028 || code === 0x2029) return 'lineBreak';
  if (BIDI.has(code)) return 'bidi';
  if (ZERO_WIDTH.has(code)) return 'zeroWidth';
  if (code === 0xfffd) return 'replacement';
  return null;
}

/** The first character that must not appear in free text, or null when the text is clean. */
export function findUnsafeCharacter(text: string, options: PlainTextOptions = {}): UnsafeCharacter | null {
  const multiline = options.multiline === true;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = index + 1 < text.length ? text.charCodeAt(index + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        index += 1;
        continue;
      }
      return { kind: 'surrogate', index, codePoint: code };
    }
    if (code >= 0xdc00 && code <= 0xdfff) return { kind: 'surrogate', index, codePoint: code };
    const kind = kindOf(code, multiline);
    if (kind) return { kind, index, codePoint: code };
  }
  return null;
}

const kindNames: Record<UnsafeCharacterKind, string> = {
  control: '控制字符',
  lineBreak: '换行符',
  bidi: '文字方向控制符',
  zeroWidth: '零宽字符',
  surrogate: '不完整的字符',
  replacement: '乱码字符',
};

/** "医院名称含有看不见的文字方向控制符（第 3 个字符处），请删除后重新输入", or null when the text is clean. */
export function unsafeTextMessage(label: string, text: string, options: PlainTextOptions = {}): string | null {
  const found = findUnsafeCharacter(text, options);
  if (!found) return null;
  // Position as a person counts: characters (a surrogate pair is one), starting at 1.
  const position = [...text.slice(0, found.index)].length + 1;
  if (found.kind === 'replacement')
    return `${label}含有乱码字符“\ufffd”（第 ${position} 个字符处），可能是复制时文字编码出错，请删除后重新输入`;
  const hint = found.kind === 'control' && !options.multiline ? '（这一栏只能写一行，不能有换行或制表符）' : '';
  return `${label}含有看不见的${kindNames[found.kind]}（第 ${position} 个字符处）${hint}，请删除后重新输入`;
}

/**
 * A zod refinement for any string schema: `z.string().check(refuseUnsafeText('开户银行'))`. Runs on
 * the text as received (before trimming), so a BOM or a control character at either end is refused,
 * not silently dropped.
 */
export function refuseUnsafeText(label: string, options: PlainTextOptions = {}): z.core.CheckFn<string> {
  return (payload) => {
    if (typeof payload.value !== 'string') return;
    const message = unsafeTextMessage(label, payload.value, options);
    if (message)
      payload.issues.push({ code: 'custom', message, input: payload.value, params: { code: 'UNSAFE_TEXT' } });
  };
}

/**
 * A required one-line (or, with `multiline`, several-line) text field: no unsafe characters,
 * trimmed, 1 to `max` characters, every message in Chinese naming the field.
 */
export function plainText(label: string, max: number, options: PlainTextOptions = {}): z.ZodString {
  return z
    .string({ error: `请填写${label}` })
    .check(refuseUnsafeText(label, options))
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
}

/** Text that may be empty (typed so far, or an optional note): no unsafe characters, at most `max`. */
export function optionalPlainText(label: string, max: number, options: PlainTextOptions = {}): z.ZodString {
  return z
    .string({ error: `${label}应为文字` })
    .check(refuseUnsafeText(label, options))
    .max(max, `${label}不能超过 ${max} 个字`);
}

/**
 * `text` without the stop it ends with (。．.！!？?；;，, and spaces after them), for putting it inside a sentence of our
 * own: a reason ending in 。 followed by our 。 read 「…上传。。请在申请详情页上传」.
 */
export function withoutFinalStop(text: string): string {
  return text.replace(/[。．.！!？?；;，,\s]+$/u, '');
}
