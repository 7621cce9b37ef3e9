/**
 * 大写金额 (the amount in words printed on every Chinese receipt): a tolerant parser and the
 * formatter the receipt generator uses. Integer fen only.
 *
 * OCR reads these characters with a few stable confusions (参 for 叁, 抬 for 拾, 伯 for 佰, 陸 …);
 * they are folded to the canonical character before parsing, and the result says whether any
 * folding happened so the caller can lower its confidence.
 */
import { type Fen, MAX_FEN } from '../money';
import { substitute } from './text';

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  壹: 1,
  贰: 2,
  叁: 3,
  肆: 4,
  伍: 5,
  陆: 6,
  柒: 7,
  捌: 8,
  玖: 9,
};

/** Canonical character for every variant we accept: lower-case numerals, traditional forms and OCR look-alikes. */
const VARIANTS: Record<string, string> = {
  // digits
  〇: '零',
  O: '零',
  o: '零',
  0: '零',
  令: '零',
  一: '壹',
  壱: '壹',
  壶: '壹',
  壸: '壹',
  臺: '壹',
  二: '贰',
  两: '贰',
  貳: '贰',
  贡: '贰',
  弍: '贰',
  三: '叁',
  参: '叁',
  參: '叁',
  叄: '叁',
  弎: '叁',
  四: '肆',
  肄: '肆',
  五: '伍',
  位: '伍',
  六: '陆',
  陸: '陆',
  七: '柒',
  染: '柒',
  桨: '柒',
  柴: '柒',
  八: '捌',
  扨: '捌',
  九: '玖',
  玫: '玖',
  玟: '玖',
  玦: '玖',
  // units
  十: '拾',
  抬: '拾',
  拴: '拾',
  恰: '拾',
  百: '佰',
  伯: '佰',
  陌: '佰',
  栢: '佰',
  千: '仟',
  任: '仟',
  仠: '仟',
  萬: '万',
  億: '亿',
  圆: '元',
  圓: '元',
  园: '元',
  甬: '角',
  份: '分',
  正: '整',
  筌: '整',
  螯: '整',
};

const UNIT_SMALL: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };

/** Characters that can appear in an amount in words (after folding). */
export const UPPERCASE_CHARS = '零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整';

export type ChineseAmountResult =
  | { ok: true; fen: Fen; normalised: string; corrected: boolean }
  | { ok: false; reason: string };

/** Fold variants and OCR look-alikes to canonical 大写 characters; drops spaces, currency words and punctuation. */
export function foldUppercase(text: string): { text: string; corrected: boolean } {
  const stripped = text.replace(/人民币|[¥￥:：()（）\s,，.。、\-—_]/g, '').replace(/^(?:合计|金额|大写|总计)+/, '');
  return substitute(stripped, VARIANTS);
}

/** Parses 0..9999 written with 仟佰拾 (e.g. 叁仟零伍拾, 拾伍). Returns null when the order is wrong. */
function parseSection(section: string): number | null {
  if (section === '') return 0;
  let total = 0;
  let pending: number | null = null;
  let lastUnit = 10000;
  let sawZero = false;
  for (const ch of section) {
    if (ch === '零') {
      if (pending !== null) return null; // a digit followed by 零 without a unit
      sawZero = true;
      continue;
    }
    const digit = DIGITS[ch];
    if (digit !== undefined) {
      if (pending !== null) return null; // two digits in a row
      pending = digit;
      continue;
    }
    const unit = UNIT_SMALL[ch];
    if (unit === undefined) return null;
    if (unit >= lastUnit) return null;
    if (pending === null) {
      // 拾伍 = 15: a bare 拾 at the very start means one ten; any other bare unit is nonsense.
      if (unit !== 10 || total !== 0 || sawZero) return null;
      pending = 1;
    }
    total += pending * unit;
    pending = null;
    lastUnit = unit;
    sawZero = false;
  }
  if (pending !== null) {
    // A trailing digit is the ones place; it may not follow 佰/仟 directly without 零 (叁佰伍 is ambiguous).
    if (lastUnit !== 10 && lastUnit !== 10000 && !sawZero) return null;
    total += pending;
  }
  return total;
}

function parseInteger(text: string): number | null {
  if (text === '') return 0;
  let rest = text;
  let total = 0;
  const yiAt = rest.indexOf('亿');
  if (yiAt >= 0) {
    const high = parseInteger(rest.slice(0, yiAt));
    if (high === null || high === 0) return null;
    total += high * 100_000_000;
    rest = rest.slice(yiAt + 1);
  }
  const wanAt = rest.indexOf('万');
  if (wanAt >= 0) {
    const high = parseSection(rest.slice(0, wanAt));
    if (high === null || high === 0) return null;
    total += high * 10_000;
    rest = rest.slice(wanAt + 1);
  }
  if (rest.includes('万') || rest.includes('亿')) return null;
  const low = parseSection(rest);
  if (low === null) return null;
  return total + low;
}

/** Parses 伍角, 伍角陆分, 零陆分, 陆分, 整, '' into fen (0..99). */
function parseFraction(text: string): number | null {
  const rest = text.replace(/整$/, '');
  if (rest === '') return 0;
  const match = /^(?:([零壹贰叁肆伍陆柒捌玖])角)?(?:零?([壹贰叁肆伍陆柒捌玖零])分)?$/.exec(rest);
  if (!match || (match[1] === undefined && match[2] === undefined)) return null;
  const jiao = match[1] === undefined ? 0 : (DIGITS[match[1]] ?? 0);
  const fen = match[2] === undefined ? 0 : (DIGITS[match[2]] ?? 0);
  return jiao * 10 + fen;
}

/**
 * "叁佰肆拾伍元陆角柒分" → 34567. Accepts 圆/元, 整/正, lower-case numerals and OCR look-alikes,
 * amounts without 元 when only 角/分 are present ("伍角"), and a leading 人民币 or label.
 */
export function parseChineseAmount(input: string): ChineseAmountResult {
  const { text, corrected } = foldUppercase(input);
  if (text === '') return { ok: false, reason: '没有大写金额' };
  for (const ch of text) {
    if (!UPPERCASE_CHARS.includes(ch)) return { ok: false, reason: `大写金额中有无法识别的字：${ch}` };
  }
  let integerText = '';
  let fractionText = text;
  const yuanAt = text.indexOf('元');
  if (yuanAt >= 0) {
    integerText = text.slice(0, yuanAt);
    fractionText = text.slice(yuanAt + 1);
  } else if (!/[角分]/.test(text)) {
    // No 元 and no 角/分: the whole string must be an integer amount followed by 整 (rare, but printed).
    if (!text.endsWith('整')) return { ok: false, reason: '大写金额缺少“元”' };
    integerText = text.slice(0, -1);
    fractionText = '';
  }
  const yuan = parseInteger(integerText);
  if (yuan === null) return { ok: false, reason: '大写金额的数位顺序不对' };
  const cents = parseFraction(fractionText);
  if (cents === null) return { ok: false, reason: '大写金额的角分部分不对' };
  const fen = yuan * 100 + cents;
  if (fen > MAX_FEN) return { ok: false, reason: '金额过大' };
  if (fen === 0 && !/零/.test(text)) return { ok: false, reason: '没有大写金额' };
  return { ok: true, fen, normalised: text, corrected };
}

const UPPER_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;

function sectionToWords(value: number): string {
  // value in 0..9999, written with 零 for internal gaps (壹仟零伍 = 1005)
  const units = ['仟', '佰', '拾', ''] as const;
  const digits = [Math.floor(value / 1000), Math.floor(value / 100) % 10, Math.floor(value / 10) % 10, value % 10];
  let out = '';
  let zeroPending = false;
  digits.forEach((digit, i) => {
    if (digit === 0) {
      if (out !== '') zeroPending = true;
      return;
    }
    if (zeroPending) out += '零';
    zeroPending = false;
    out += `${UPPER_DIGITS[digit] ?? ''}${units[i] ?? ''}`;
  });
  return out;
}

/** 34567 → "叁佰肆拾伍元陆角柒分"; 1000 → "壹拾元整"; 5 → "伍分"; 100005 → "壹仟元零伍分". */
export function fenToChineseUppercase(fen: Fen): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`fenToChineseUppercase: bad amount ${fen}`);
  if (fen === 0) return '零元整';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  let integer = '';
  if (yuan > 0) {
    const yi = Math.floor(yuan / 100_000_000);
    const wan = Math.floor(yuan / 10_000) % 10_000;
    const low = yuan % 10_000;
    if (yi > 0) integer += `${sectionToWords(yi)}亿`;
    if (wan > 0) {
      if (yi > 0 && wan < 1000) integer += '零';
      integer += `${sectionToWords(wan)}万`;
    } else if (yi > 0 && low > 0) {
      integer += '零';
    }
    if (low > 0) {
      if ((yi > 0 || wan > 0) && low < 1000 && !integer.endsWith('零')) integer += '零';
      integer += sectionToWords(low);
    }
    integer += '元';
  }
  if (jiao === 0 && cents === 0) return `${integer}整`;
  let fraction = '';
  if (jiao > 0) fraction += `${UPPER_DIGITS[jiao] ?? ''}角`;
  if (cents > 0) fraction += `${jiao === 0 && yuan > 0 ? '零' : ''}${UPPER_DIGITS[cents] ?? ''}分`;
  return integer + fraction;
}
