/**
 * Money is an integer number of fen (分) everywhere: in the core, on the wire, in the store.
 * Yuan appear only at the edges: parsed from what a person types, formatted for what a person reads.
 *
 * Ratios are integer basis points (万分比): 65% = 6500. Multiplying fen by a ratio rounds once,
 * half up, to the fen (四舍五入到分) — the only rounding rule in the product; see `applyRatio`.
 */

export type Fen = number;
/** 1/10000: 10000 = 100%. */
export type BasisPoints = number;

export const FEN_PER_YUAN = 100;
export const FULL_RATIO: BasisPoints = 10000;
/** The largest amount we accept anywhere: 1 亿元 — no single medical bill comes near it. */
export const MAX_FEN: Fen = 100_000_000 * FEN_PER_YUAN;

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_FEN;
}

export type ParseYuanResult =
  | { ok: true; fen: Fen }
  | {
      ok: false;
      code: 'MONEY_EMPTY' | 'MONEY_NEGATIVE' | 'MONEY_FORMAT' | 'MONEY_PRECISION' | 'MONEY_TOO_LARGE';
      message: string;
    };

/**
 * Parse an amount typed in yuan ("1234.5", "1,234.50", "￥12", "12元", full-width digits) into fen.
 * No floating point is involved: the string is split at the decimal point.
 * Negative amounts are refused (a refund is not a bill).
 */
export function parseYuan(input: string): ParseYuanResult {
  const normalised = toHalfWidth(input)
    .trim()
    .replace(/^[¥￥]\s*/, '')
    .replace(/\s*元$/, '')
    .replace(/[,，\s]/g, '');
  if (normalised === '') return { ok: false, code: 'MONEY_EMPTY', message: '请填写金额' };
  if (/^-\d/.test(normalised))
    return { ok: false, code: 'MONEY_NEGATIVE', message: '金额不能是负数：退费不在这里填，请填写实际支付的金额' };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(normalised);
  if (!match) return { ok: false, code: 'MONEY_FORMAT', message: '金额只能是数字，例如 128.50' };
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > 2) return { ok: false, code: 'MONEY_PRECISION', message: '金额最多保留两位小数（到分）' };
  if (whole.replace(/^0+/, '').length > 9) return { ok: false, code: 'MONEY_TOO_LARGE', message: '金额过大，请核对' };
  const fen = Number(whole) * FEN_PER_YUAN + Number(fraction.padEnd(2, '0'));
  if (fen > MAX_FEN) return { ok: false, code: 'MONEY_TOO_LARGE', message: '金额过大，请核对' };
  return { ok: true, fen };
}

/** 123456 → "1,234.56" (grouped, two decimals, no currency sign). Negative values keep their sign. */
export function formatFen(fen: Fen): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`formatFen: not an integer number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / FEN_PER_YUAN);
  const cents = abs % FEN_PER_YUAN;
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}.${String(cents).padStart(2, '0')}`;
}

/** 123456 → "1,234.56 元" */
export function formatYuan(fen: Fen): string {
  return `${formatFen(fen)} 元`;
}

/** 123456 → "1234.56": for an input field's value (no grouping). */
export function fenToInputText(fen: Fen): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / FEN_PER_YUAN)}.${String(abs % FEN_PER_YUAN).padStart(2, '0')}`;
}

/**
 * amount × ratio, rounded half up to the fen. Integer arithmetic only:
 * floor((amount × bp + 5000) / 10000). Both arguments must be non-negative integers.
 */
export function applyRatio(amount: Fen, ratio: BasisPoints): Fen {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`applyRatio: bad amount ${amount}`);
  if (!Number.isSafeInteger(ratio) || ratio < 0) throw new RangeError(`applyRatio: bad ratio ${ratio}`);
  const product = amount * ratio;
  if (Number.isSafeInteger(product)) return Math.floor((product + FULL_RATIO / 2) / FULL_RATIO);
  // Beyond 2^53 (absurd amounts): split amount = q × 10000 + r, so the result is
  // q × ratio + round(r × ratio / 10000) — exact without BigInt (ES2020, missing on older WeChat clients).
  const whole = Math.floor(amount / FULL_RATIO);
  const rest = amount - whole * FULL_RATIO;
  const result = whole * ratio + Math.floor((rest * ratio + FULL_RATIO / 2) / FULL_RATIO);
  if (!Number.isSafeInteger(result))
    throw new RangeError(`applyRatio: ${amount} × ${ratio} is beyond exact arithmetic`);
  return result;
}

/** `count` extra fen to the largest remainders, one each; equal remainders: the earlier place first. */
function topUp(floors: Fen[], remainders: readonly number[], count: number): Fen[] {
  const order = remainders.map((_, index) => index).sort((a, b) => remainders[b]! - remainders[a]! || a - b);
  for (let i = 0; i < count; i += 1) floors[order[i]!]! += 1;
  return floors;
}

/**
 * Σ amount × ratio over several pieces, computed exactly and rounded half up to the fen **once**
 * (so one piece gives `applyRatio`, and pieces at one ratio give `applyRatio` of their sum); `shares`
 * is that total shared back to the pieces: each its own amount × ratio rounded down, the fen left over
 * to the largest fractions, equal fractions to the earlier piece. Each share is within 1 fen of its
 * piece's exact product, and the shares add up to `total` exactly.
 */
export function applyRatios(pieces: ReadonlyArray<{ amount: Fen; ratio: BasisPoints }>): { total: Fen; shares: Fen[] } {
  const floors: Fen[] = [];
  const fractions: number[] = [];
  for (const { amount, ratio } of pieces) {
    if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`applyRatios: bad amount ${amount}`);
    if (!Number.isSafeInteger(ratio) || ratio < 0 || ratio > FULL_RATIO)
      throw new RangeError(`applyRatios: bad ratio ${ratio}`);
    // amount = whole × 10000 + rest: whole × ratio fen exactly, and rest × ratio ten-thousandths of a fen.
    const whole = Math.floor(amount / FULL_RATIO);
    const rest = (amount - whole * FULL_RATIO) * ratio;
    floors.push(whole * ratio + Math.floor(rest / FULL_RATIO));
    fractions.push(rest % FULL_RATIO);
  }
  const fractionSum = fractions.reduce((a, b) => a + b, 0);
  const extra = Math.floor((fractionSum + FULL_RATIO / 2) / FULL_RATIO);
  const total = floors.reduce((a, b) => a + b, 0) + extra;
  return { total, shares: topUp(floors, fractions, extra) };
}

/** 6500 → "65%", 8750 → "87.5%" */
export function formatRatio(ratio: BasisPoints): string {
  const whole = Math.floor(ratio / 100);
  const rest = ratio % 100;
  if (rest === 0) return `${whole}%`;
  return `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}%`;
}

export function sumFen(values: readonly Fen[]): Fen {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

export function minFen(...values: Fen[]): Fen {
  return Math.min(...values);
}

export function clampNonNegative(value: Fen): Fen {
  return value < 0 ? 0 : value;
}

/** Full-width digits and punctuation (０-９，．) to half-width; receipts and Chinese keyboards produce both. */
export function toHalfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}
