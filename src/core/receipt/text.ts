/**
 * Small text helpers shared by the QR parser and the OCR extraction: width and punctuation
 * folding, digit look-alikes in numeric contexts, dates and amounts in figures.
 */
import { type Fen, parseYuan, toHalfWidth } from '../money';

/** Full-width to half-width, Chinese colons/brackets to ASCII, and no spaces at all (OCR spacing means nothing). */
export function normaliseText(text: string): string {
  return toHalfWidth(text)
    .replace(/[：]/g, ':')
    .replace(/[（【〔［]/g, '(')
    .replace(/[）】〕］]/g, ')')
    .replace(/[，]/g, ',')
    .replace(/[。．]/g, '.')
    .replace(/[\s\u00a0]+/g, '');
}

/** Letters that OCR returns for digits; only applied where a number is expected. */
const DIGIT_LOOKALIKES: Record<string, string> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  〇: '0',
  l: '1',
  I: '1',
  i: '1',
  '|': '1',
  '!': '1',
  L: '1',
  Z: '2',
  z: '2',
  S: '5',
  s: '5',
  G: '6',
  b: '6',
  T: '7',
  B: '8',
  g: '9',
  q: '9',
};

/** Replaces every character found in `table`; `corrected` says whether anything changed. */
export function substitute(
  text: string,
  table: Readonly<Record<string, string>>,
): { text: string; corrected: boolean } {
  let corrected = false;
  let out = '';
  for (const ch of text) {
    const replacement = table[ch];
    if (replacement !== undefined) corrected = true;
    out += replacement ?? ch;
  }
  return { text: out, corrected };
}

/** Replaces look-alike letters by digits; `corrected` says whether anything changed. */
export function fixDigits(text: string): { text: string; corrected: boolean } {
  return substitute(text, DIGIT_LOOKALIKES);
}

/** A calendar date as YYYY-MM-DD, or null when the parts do not form one (2024-02-30 is refused). */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  if (day > (daysInMonth[month - 1] ?? 0)) return null;
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The character class of things that may stand for a digit in a date or number on a photo. */
const D = '[0-9OoDIl|SsBZ]';
const DATE_PATTERNS: RegExp[] = [
  new RegExp(`(${D}{4})\\s*[年\\-/.]\\s*(${D}{1,2})\\s*[月\\-/.]\\s*(${D}{1,2})\\s*日?`),
  new RegExp(`(?<![0-9])(${D}{4})(${D}{2})(${D}{2})(?![0-9])`),
];

export interface FoundDate {
  iso: string;
  index: number;
  length: number;
  corrected: boolean;
}

/** Every date in `text` (2024年3月5日, 2024-03-05, 2024/3/5, 2024.03.05, 20240305), in order. */
export function findDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  for (const pattern of DATE_PATTERNS) {
    const global = new RegExp(pattern.source, 'g');
    for (const match of text.matchAll(global)) {
      const [whole, y, m, d] = match;
      if (y === undefined || m === undefined || d === undefined || match.index === undefined) continue;
      if (found.some((f) => match.index! < f.index + f.length && f.index < match.index! + whole.length)) continue;
      const fy = fixDigits(y);
      const fm = fixDigits(m);
      const fd = fixDigits(d);
      const iso = isoDate(Number(fy.text), Number(fm.text), Number(fd.text));
      if (iso === null) continue;
      found.push({
        iso,
        index: match.index,
        length: whole.length,
        corrected: fy.corrected || fm.corrected || fd.corrected,
      });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** "20240305" / "2024-03-05" / "2024年3月5日" → "2024-03-05", else null. */
export function parseDate(text: string): string | null {
  const dates = findDates(normaliseText(text));
  return dates.length === 1 ? (dates[0]?.iso ?? null) : null;
}

export interface FoundAmount {
  fen: Fen;
  index: number;
  length: number;
  corrected: boolean;
  text: string;
}

/**
 * Every amount in figures with exactly two decimals in `text` ("345.67", "1,234.50", "¥12.00", "1O5.00"),
 * in order. A comma before the last two digits is taken as a decimal point only when there is no dot.
 */
export function findAmounts(text: string): FoundAmount[] {
  const found: FoundAmount[] = [];
  const pattern = /(?<![0-9.])([0-9][0-9OoIlSB,]*?)([.,])([0-9Oo]{2})(?![0-9]|[.,][0-9])/g;
  for (const match of text.matchAll(pattern)) {
    const [whole, intPart, sep, frac] = match;
    if (intPart === undefined || frac === undefined || sep === undefined || match.index === undefined) continue;
    if (sep === ',' && /,/.test(intPart)) continue;
    const fixedInt = fixDigits(intPart.replace(/,/g, ''));
    const fixedFrac = fixDigits(frac);
    const parsed = parseYuan(`${fixedInt.text}.${fixedFrac.text}`);
    if (!parsed.ok) continue;
    found.push({
      fen: parsed.fen,
      index: match.index,
      length: whole.length,
      corrected: fixedInt.corrected || fixedFrac.corrected || sep === ',',
      text: whole,
    });
  }
  // Grouped thousands whose comma came back as a dot (2.911.85), or whose decimal point was lost (5,89319,
  // under a seal): the groups still say where the yuan end. Corrections, so the person looks.
  const grouped = /(?<![0-9.,])([0-9]{1,3})[.,]([0-9]{3})[.,]?([0-9]{2})(?![0-9]|[.,][0-9])/g;
  for (const match of text.matchAll(grouped)) {
    const [whole, head, group, frac] = match;
    if (head === undefined || group === undefined || frac === undefined || match.index === undefined) continue;
    const at = match.index;
    if (found.some((f) => at < f.index + f.length && f.index < at + whole.length)) continue;
    const parsed = parseYuan(`${head}${group}.${frac}`);
    if (!parsed.ok) continue;
    found.push({ fen: parsed.fen, index: at, length: whole.length, corrected: true, text: whole });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** A yuan amount written in a QR payload or URL ("345.67", "345.6", "345") → fen, else null. */
export function yuanToFen(text: string): Fen | null {
  const parsed = parseYuan(text.trim());
  return parsed.ok ? parsed.fen : null;
}
