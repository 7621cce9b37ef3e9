/**
 * From OCR lines to receipt fields. Pure: the OCR (PaddleOCR, WeChat) happens elsewhere.
 *
 * 1. Lines are folded (full-width → half-width, Chinese colons and brackets, no spaces) and, when
 *    they carry boxes, de-skewed with the median angle of the wide boxes and grouped into rows:
 *    a label and its value read as two boxes on one row become one row again ("split lines").
 * 2. Known labels (票据代码, 交款人, 合计, (小写) …) are located in every row; a value is what follows its
 *    label up to the next label — so a row where OCR merged three fields still yields three fields —
 *    or, when nothing follows, the start of the next row.
 * 3. Values are checked against their shape (8-digit code, 10-digit number, a real calendar date,
 *    an amount with two decimals, a parseable 大写 amount). Look-alike characters are corrected only
 *    in numeric contexts (O→0, l→1, S→5) and in 大写 amounts (参→叁), and a correction lowers the
 *    confidence. Nothing of the wrong shape is returned as a value.
 */
import type { Fen } from '../money';
import { parseChineseAmount, UPPERCASE_CHARS } from './chineseAmount';
import {
  type ExtractedReceipt,
  type FieldSource,
  type LineItem,
  type OcrLine,
  type ReceiptFields,
  type ReceiptKind,
  type Rect,
  type StringField,
} from './schema';
import { readItemTable, widthOf, type TableLine } from './table';
import { findAmounts, findDates, fixDigits, normaliseText } from './text';

/** Confidence assumed for a line whose OCR gave none. */
const DEFAULT_LINE_CONFIDENCE = 0.9;
/** Multiplier when look-alike characters had to be corrected. */
const CORRECTED = 0.85;
/** Multiplier when the value was found without its label, by shape alone. */
const UNLABELLED = 0.6;
/** Multiplier when the value sat on the row below its label. */
const NEXT_ROW = 0.92;
/**
 * Print lower than this (median line height, in the photo's pixels) is small for the recogniser:
 * names (交款人, 收款单位, item names) lose or double a stroke there while the line's confidence stays
 * high — they are read with SMALL_PRINT_FACTOR, which sends them to the person for a look.
 */
export const SMALL_PRINT_PX = 25;
const SMALL_PRINT_FACTOR = 0.8;

interface Line {
  index: number;
  text: string;
  /** `text` with single spaces where the OCR put spaces (table cells). */
  spaced: string;
  rect?: Rect;
  /** The pieces the OCR joined into this line: characters [from, to) of `text` and their rectangle on the photo. */
  pieces?: Array<{ from: number; to: number; rect: Rect }>;
  /** Horizontal extent after de-skewing. */
  x0: number;
  x1: number;
  /** Centre and height after de-skewing, for grouping into rows. */
  cx: number;
  cy: number;
  height: number;
  confidence: number;
  underSeal?: boolean;
  /** Each character's own confidence, aligned with `text`, where the OCR gave them. */
  chars?: number[];
  /** Height of the box on the photo (print size as the camera caught it). */
  photoHeight?: number;
}

interface Row {
  text: string;
  /** For every character of `text`, the index of the line it came from (-1 for the joining space). */
  owner: number[];
  lines: Line[];
}

function toRect(box: OcrLine['box']): { rect: Rect; angle: number | null } | undefined {
  if (box === undefined) return undefined;
  if (box.length === 4 && typeof box[0] === 'number') {
    const [x, y, w, h] = box as [number, number, number, number];
    return { rect: [x, y, w, h], angle: null };
  }
  const points = box as Array<[number, number]>;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  const rect: Rect = [x, y, Math.max(...xs) - x, Math.max(...ys) - y];
  const [p0, p1] = points;
  const angle = p0 && p1 && p1[0] - p0[0] > 0 ? Math.atan2(p1[1] - p0[1], p1[0] - p0[0]) : null;
  return { rect, angle };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The line's character confidences aligned with its folded text (`normaliseText` folds character by character). */
function charsOf(line: OcrLine): number[] | undefined {
  const given = line.charConfidence;
  if (!given || given.length !== [...line.text].length) return undefined;
  const chars: number[] = [];
  [...line.text].forEach((ch, i) => {
    for (let k = 0; k < normaliseText(ch).length; k += 1) chars.push(given[i] ?? 1);
  });
  return chars.length === normaliseText(line.text).length ? chars : undefined;
}

/**
 * The line's pieces (`OcrLine.pieces`) in the characters of its folded text (`normaliseText` folds character by
 * character; the joining spaces fold away), each with its rectangle on the photo; undefined where they do not fit.
 */
function piecesOf(line: OcrLine): Line['pieces'] {
  if (!line.pieces || line.pieces.length === 0) return undefined;
  const characters = [...line.text];
  const folded = [0];
  for (const ch of characters) folded.push((folded[folded.length - 1] ?? 0) + normaliseText(ch).length);
  if (folded[characters.length] !== normaliseText(line.text).length) return undefined;
  const pieces: NonNullable<Line['pieces']> = [];
  for (const piece of line.pieces) {
    const rect = toRect(piece.box)?.rect;
    const from = folded[piece.start];
    const to = folded[piece.end];
    if (!rect || from === undefined || to === undefined || to <= from) return undefined;
    pieces.push({ from, to, rect });
  }
  return pieces;
}

function prepareLines(input: readonly OcrLine[]): { lines: Line[]; hasBoxes: boolean } {
  const shaped = input.map((line, index) => ({
    index,
    text: normaliseText(line.text),
    spaced: line.text
      .split(/[\s\u00a0\u3000]+/)
      .map(normaliseText)
      .filter((part) => part !== '')
      .join(' '),
    geometry: toRect(line.box),
    pieces: piecesOf(line),
    flat: toRect(line.flatBox),
    chars: charsOf(line),
    confidence: line.confidence ?? DEFAULT_LINE_CONFIDENCE,
    underSeal: line.underSeal === true,
  }));
  const hasBoxes = shaped.length > 0 && shaped.every((l) => l.geometry !== undefined);
  // Rows and columns are measured on the flattened sheet when every line says where it lies there (a
  // photo at an angle makes a table's columns slant and narrow down the page); else on the photo.
  const flat = hasBoxes && shaped.every((l) => l.flat !== undefined);
  const measureOf = (l: (typeof shaped)[number]) => (flat ? l.flat : l.geometry);
  // Skew from the boxes that are clearly horizontal text (wide and not tiny).
  const angles = shaped
    .map(measureOf)
    .filter((g) => g && g.angle !== null && g.rect[2] > 2 * g.rect[3])
    .map((g) => g?.angle ?? 0);
  const skew = Math.abs(median(angles)) < 0.2 ? median(angles) : 0;
  const cos = Math.cos(-skew);
  const sin = Math.sin(-skew);
  const lines: Line[] = shaped
    .filter((l) => l.text !== '')
    .map((l) => {
      const line: Line = {
        index: l.index,
        text: l.text,
        spaced: l.spaced,
        x0: 0,
        x1: 0,
        cx: 0,
        cy: l.index,
        height: 1,
        confidence: l.confidence,
      };
      if (l.underSeal) line.underSeal = true;
      if (l.chars) line.chars = l.chars;
      const measure = measureOf(l);
      if (l.geometry) line.rect = l.geometry.rect;
      if (l.pieces) line.pieces = l.pieces;
      if (measure) {
        const [x, y, w, h] = measure.rect;
        const mx = x + w / 2;
        const my = y + h / 2;
        line.cx = mx * cos - my * sin;
        line.cy = mx * sin + my * cos;
        // The height of the text, not of the rotated bounding box.
        line.height = Math.max(1, h - Math.abs(Math.sin(skew)) * w);
        const width = Math.max(1, w - Math.abs(Math.sin(skew)) * h);
        line.x0 = line.cx - width / 2;
        line.x1 = line.cx + width / 2;
        // On the photo the print is smaller or larger than on the flattened sheet by the boxes' widths.
        if (flat && l.geometry) line.photoHeight = line.height * (l.geometry.rect[2] / Math.max(1, w));
      }
      return line;
    });
  return { lines, hasBoxes };
}

function groupRows(lines: Line[], hasBoxes: boolean): Row[] {
  const groups: Line[][] = [];
  if (!hasBoxes) {
    for (const line of lines) groups.push([line]);
  } else {
    const sorted = [...lines].sort((a, b) => a.cy - b.cy);
    for (const line of sorted) {
      const last = groups[groups.length - 1];
      const anchor = last ? median(last.map((l) => l.cy)) : null;
      const height = last ? median(last.map((l) => l.height)) : 0;
      if (last && anchor !== null && Math.abs(line.cy - anchor) < 0.55 * Math.min(height, line.height)) last.push(line);
      else groups.push([line]);
    }
  }
  return groups.map((group) => {
    const ordered = [...group].sort((a, b) => a.cx - b.cx);
    let text = '';
    const owner: number[] = [];
    ordered.forEach((line, i) => {
      if (i > 0) {
        text += ' ';
        owner.push(-1);
      }
      text += line.text;
      for (let k = 0; k < line.text.length; k += 1) owner.push(line.index);
    });
    return { text, owner, lines: ordered };
  });
}

// ---------------------------------------------------------------------------------------------
// Labels

type LabelKind =
  | 'code'
  | 'number'
  | 'checkCode'
  | 'issueDate'
  | 'payer'
  | 'hospital'
  | 'outpatientNo'
  | 'inpatientNo'
  | 'admissionDate'
  | 'dischargeDate'
  | 'stay'
  | 'words'
  | 'figures'
  | 'total'
  | 'header'
  | 'fundPaid'
  | 'stop';

/** Longest first within a kind; kinds that contain others' words come first. */
const LABELS: Array<[LabelKind, string]> = [
  // What the fund already paid at the counter (医保统筹支付): read, not skipped — a receipt settled in part is not
  // paid in full, and only what the person paid can be claimed.
  ['fundPaid', '医保统筹基金支付|统筹基金支付|医保统筹支付|医保基金支付|统筹支付|基金支付'],
  [
    'stop',
    '交款人统一社会信用代码|统一社会信用代码|社会信用代码|个人账户支付|个人帐户支付|个人现金支付|其他支付|现金支付|个人自付|个人自费|自付一|业务流水号|流水号|社会保障卡号|医保类型|医保类别|人员类别|医疗机构类型|就诊日期|收款人|收款员|收费员|操作员|复核人|开票人|性别|年龄|科室',
  ],
  ['code', '票据代码|发票代码'],
  ['number', '票据号码|发票号码|票据号|发票号'],
  ['checkCode', '校验码|检验码|效验码|校验号'],
  ['issueDate', '开票日期|开具日期|填开日期|收费日期|缴费日期'],
  [
    'hospital',
    '收款单位\\((?:盖)?章\\)|收款单位名称|收款单位|开票单位|医疗机构名称|医院名称|就诊医院|就诊机构|销售方名称|销方名称',
  ],
  ['payer', '交款人姓名|交款人|缴款人|患者姓名|病人姓名|购买方名称|购方名称|姓名'],
  ['outpatientNo', '门诊号码|门诊号|就诊号|病历号'],
  ['inpatientNo', '住院号码|住院号|病案号'],
  ['admissionDate', '入院日期|入院时间'],
  ['dischargeDate', '出院日期|出院时间'],
  ['stay', '住院日期|住院时间|住院期间'],
  ['words', '\\(?大写\\)?'],
  ['figures', '\\(?小写\\)?'],
  ['total', '价税合计|金额合计|合计金额|费用合计|费用总额|总金额|合计|总计'],
  ['header', '项目名称|收费项目|费用项目|项目|数量|单位|金额|备注|规格|等级'],
];

const LABEL_PATTERN = new RegExp(LABELS.map(([, source]) => `(${source})`).join('|'), 'g');

interface LabelHit {
  kind: LabelKind;
  start: number;
  end: number;
}

function labelsIn(text: string): LabelHit[] {
  const hits: LabelHit[] = [];
  for (const match of text.matchAll(LABEL_PATTERN)) {
    const group = match.slice(1).findIndex((g) => g !== undefined);
    const kind = LABELS[group]?.[0];
    if (kind === undefined || match.index === undefined) continue;
    hits.push({ kind, start: match.index, end: match.index + match[0].length });
  }
  return hits;
}

interface Candidate {
  /** Text to read the value from (after the label, up to the next label). */
  text: string;
  /** Position of `text` in its row, to find the lines the value came from. */
  row: Row;
  offset: number;
  /** Confidence multiplier for where the value was found. */
  factor: number;
}

/** The value regions following every label of `kind`, on the same row, else at the start of the next row. */
function candidates(rows: Row[], hitsPerRow: LabelHit[][], kind: LabelKind): Candidate[] {
  const found: Candidate[] = [];
  rows.forEach((row, r) => {
    const hits = hitsPerRow[r] ?? [];
    hits.forEach((hit, h) => {
      if (hit.kind !== kind) return;
      const next = hits[h + 1];
      let start = hit.end;
      while (start < row.text.length && /[:\s.)]/.test(row.text[start] ?? '')) start += 1;
      const end = next ? next.start : row.text.length;
      const text = row.text.slice(start, Math.max(start, end));
      if (text.trim() !== '') found.push({ text, row, offset: start, factor: 1 });
      // A value printed under its label (or pushed to the next row by a narrow box).
      const below = rows[r + 1];
      if (below && (text.trim() === '' || next === undefined)) {
        const belowHits = hitsPerRow[r + 1] ?? [];
        const belowEnd = belowHits[0]?.start ?? below.text.length;
        const belowText = below.text.slice(0, belowEnd);
        if (belowText.trim() !== '') found.push({ text: belowText, row: below, offset: 0, factor: NEXT_ROW });
      }
    });
  });
  return found;
}

/**
 * Characters [from, to) of `line` on the photo, on the pieces the OCR joined into it: on each piece they touch, their
 * share of the piece's width by the characters' widths (CJK twice a figure's); undefined without pieces.
 */
function placeOnPieces(line: Line, from: number, to: number): Rect | undefined {
  const touched = (line.pieces ?? []).filter((piece) => piece.from < to && piece.to > from);
  if (touched.length === 0) return undefined;
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const piece of touched) {
    const widths = [...line.text.slice(piece.from, piece.to)].map(widthOf);
    const total = widths.reduce((sum, width) => sum + width, 0) || 1;
    const before = widths.slice(0, Math.max(0, from - piece.from)).reduce((sum, width) => sum + width, 0);
    const inside = widths
      .slice(Math.max(0, from - piece.from), Math.min(to, piece.to) - piece.from)
      .reduce((sum, width) => sum + width, 0);
    const [x, y, w, h] = piece.rect;
    left = Math.min(left, x + (before / total) * w);
    right = Math.max(right, x + ((before + inside) / total) * w);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y + h);
  }
  return [Math.round(left), top, Math.max(1, Math.round(right - left)), bottom - top];
}

/**
 * The lines a value came from, each with the part of its box that holds the value: when OCR merged
 * several fields into one line, the box is narrowed to the value — on the OCR's pieces where it says
 * where they lie, else in proportion to the characters' positions in the whole line.
 */
function sourcesOf(row: Row, from: number, to: number): FieldSource[] {
  const spans = new Map<number, { first: number; last: number }>();
  for (let i = from; i < to; i += 1) {
    const owner = row.owner[i];
    if (owner === undefined || owner < 0) continue;
    const span = spans.get(owner);
    if (span) span.last = i;
    else spans.set(owner, { first: i, last: i });
  }
  return [...spans].map(([index, span]) => {
    const line = row.lines.find((l) => l.index === index);
    if (!line?.rect) return { line: index };
    const lineStart = row.owner.indexOf(index);
    const onPieces = placeOnPieces(line, span.first - lineStart, span.last - lineStart + 1);
    if (onPieces) return { line: index, box: onPieces };
    const length = line.text.length;
    const [x, y, w, h] = line.rect;
    const a = (span.first - lineStart) / length;
    const b = (span.last - lineStart + 1) / length;
    const box: Rect = [Math.round(x + a * w), y, Math.max(1, Math.round((b - a) * w)), h];
    return { line: index, box };
  });
}

function confidenceOf(row: Row, from: number, to: number): number {
  const indices = new Set<number>();
  for (let i = from; i < to; i += 1) {
    const owner = row.owner[i];
    if (owner !== undefined && owner >= 0) indices.add(owner);
  }
  const values = row.lines.filter((l) => indices.has(l.index)).map((l) => l.confidence);
  return values.length === 0 ? DEFAULT_LINE_CONFIDENCE : Math.min(...values);
}

/**
 * Below this, a character of a value is doubtful even when its line reads well as a whole (i/t, q/g,
 * Z/2 in a code): the value is then read with DOUBTFUL_FACTOR, which sends it to the person.
 */
export const DOUBTFUL_CHARACTER = 0.7;
const DOUBTFUL_FACTOR = 0.75;

/** The least confidence of the characters from..to of a row (1 where the OCR gave none). */
function weakestCharacter(row: Row, from: number, to: number): number {
  let weakest = 1;
  for (let i = from; i < to; i += 1) {
    const owner = row.owner[i];
    if (owner === undefined || owner < 0) continue;
    const line = row.lines.find((l) => l.index === owner);
    const value = line?.chars?.[i - row.owner.indexOf(owner)];
    if (value !== undefined && value < weakest) weakest = value;
  }
  return weakest;
}

const clamp = (value: number): number => Math.max(0, Math.min(1, Math.round(value * 1000) / 1000));

function field<T>(value: T, candidate: Candidate, from: number, to: number, corrected: boolean, extra = 1) {
  const start = candidate.offset + from;
  const end = candidate.offset + to;
  const sources = sourcesOf(candidate.row, start, end);
  const underSeal = candidate.row.lines.some((line) => line.underSeal && sources.some((s) => s.line === line.index));
  return {
    value,
    confidence: clamp(
      confidenceOf(candidate.row, start, end) *
        candidate.factor *
        (corrected ? CORRECTED : 1) *
        extra *
        (weakestCharacter(candidate.row, start, end) < DOUBTFUL_CHARACTER ? DOUBTFUL_FACTOR : 1),
    ),
    raw: candidate.row.text.slice(start, end),
    corrected,
    sources,
    ...(underSeal ? { underSeal: true } : {}),
  };
}

/** Digits (and their look-alikes) at the start of a value, spaces between groups allowed (VAT check codes). */
const DIGITISH = /^[\s]*([0-9OoDIl|SsBZ](?:[0-9OoDIl|SsBZ]|\s(?=[0-9]))*)/;

function readDigits(candidate: Candidate, lengths: number[]): ReturnType<typeof field<string>> | null {
  const match = DIGITISH.exec(candidate.text);
  if (!match || match[1] === undefined) return null;
  const from = match[0].length - match[1].length;
  const fixed = fixDigits(match[1].replace(/\s/g, ''));
  if (!/^\d+$/.test(fixed.text) || !/[0-9]/.test(match[1])) return null;
  // A look-alike letter at the very end is more likely the start of the next word (…5678校验码 → fine; …5678S).
  if (!lengths.includes(fixed.text.length)) return null;
  return field(fixed.text, candidate, from, match[0].length, fixed.corrected);
}

function readAlnum(candidate: Candidate, lengths: number[]): ReturnType<typeof field<string>> | null {
  const match = /^\s*([0-9A-Za-z](?:[0-9A-Za-z]|\s(?=[0-9A-Za-z]))*)/.exec(candidate.text);
  if (!match || match[1] === undefined) return null;
  const value = match[1].replace(/\s/g, '');
  if (!lengths.includes(value.length)) return null;
  // An upper-case O, I or Z in a code of digits and lower-case letters is as likely a 0, 1 or 2
  // misread: nothing tells which, so the person looks.
  const ambiguous = /[a-z]/.test(value) && /[OIZ]/.test(value) && !/[A-HJ-NP-Y]/.test(value);
  return field(value, candidate, match[0].length - match[1].length, match[0].length, false, ambiguous ? AMBIGUOUS : 1);
}

/** Multiplier for a value that holds characters OCR confuses and nothing disambiguates. */
const AMBIGUOUS = 0.75;

function readDate(candidate: Candidate, which = 0): ReturnType<typeof field<string>> | null {
  const date = findDates(candidate.text)[which];
  if (!date || (which === 0 && date.index > 2)) return null;
  return field(date.iso, candidate, date.index, date.index + date.length, date.corrected);
}

const NAME_STOP = /[0-9:;,()\s]/;

function readName(candidate: Candidate, min: number, max: number): ReturnType<typeof field<string>> | null {
  const match = /^[\s]*([\u4e00-\u9fff·•][\u4e00-\u9fff·•]*)/.exec(candidate.text);
  if (!match || match[1] === undefined) return null;
  const value = match[1].replace(/•/g, '·');
  if (value.length < min || value.length > max || NAME_STOP.test(value)) return null;
  return field(value, candidate, match[0].length - match[1].length, match[0].length, false);
}

function readOrganisation(candidate: Candidate): ReturnType<typeof field<string>> | null {
  const match = /^[\s]*([\u4e00-\u9fff][\u4e00-\u9fff()0-9A-Za-z·]*)/.exec(candidate.text);
  if (!match || match[1] === undefined) return null;
  const value = match[1].replace(/\((?:盖)?章\)$/, '').replace(/\($/, '');
  if ((value.match(/[\u4e00-\u9fff]/g) ?? []).length < 4) return null;
  const from = match[0].length - match[1].length;
  // 第 is followed by a numeral (第一人民医院); without one, a thin 一 was most likely lost.
  const lostNumeral = /第(?![一二三四五六七八九十0-9])/.test(value);
  return field(value, candidate, from, from + value.length, false, lostNumeral ? AMBIGUOUS : 1);
}

function readAmount(candidate: Candidate): ReturnType<typeof field<Fen>> | null {
  const amount = findAmounts(candidate.text)[0];
  if (!amount) return null;
  // Only currency signs (and what OCR makes of ¥: Y, 羊, ?) may stand between the label and its amount.
  const before = candidate.text.slice(0, amount.index);
  if (!/^[\s¥￥Y羊半元:?]*$/.test(before)) return null;
  return field(amount.fen, candidate, amount.index, amount.index + amount.length, amount.corrected);
}

/** Characters a 大写 amount may be read as (canonical, variants and OCR look-alikes). */
const WORD_CHARS = `${UPPERCASE_CHARS}参參叄三貳贰两二一壱壸壶肆肄四伍五陸六七染柒捌八玖玫九拾抬十佰伯百仟千萬億圆圓园甬正〇`;
const WORD_RUN = new RegExp(`[${WORD_CHARS}]{2,}`, 'g');

function readWords(candidate: Candidate, requireAlone: boolean): ReturnType<typeof field<Fen>> | null {
  for (const match of candidate.text.matchAll(WORD_RUN)) {
    if (match.index === undefined) continue;
    if (requireAlone && match.index > 2) return null;
    if (!/[元圆圓园角分]/.test(match[0])) continue;
    const parsed = parseChineseAmount(match[0]);
    if (!parsed.ok) continue;
    return field(parsed.fen, candidate, match.index, match.index + match[0].length, parsed.corrected);
  }
  return null;
}

function first<T>(items: Candidate[], read: (c: Candidate) => T | null): T | undefined {
  for (const candidate of items) {
    const value = read(candidate);
    if (value !== null) return value;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Title, kind, items

const TITLE = /(票据|发票|收据|收费单|结算单)/;
const HOSPITAL_WORDS = /(医院|卫生院|诊所|卫生服务中心|保健院|医疗中心|卫生室|门诊部)/;

function readTitle(rows: Row[], hitsPerRow: LabelHit[][]): StringField | undefined {
  for (let r = 0; r < Math.min(rows.length, 6); r += 1) {
    const row = rows[r];
    if (!row) continue;
    const hits = hitsPerRow[r] ?? [];
    if (hits.some((h) => h.kind !== 'header' && h.kind !== 'stop')) continue;
    for (const line of row.lines) {
      if (!TITLE.test(line.text) || line.text.length < 4 || /\d{4}/.test(line.text)) continue;
      const start = row.text.indexOf(line.text);
      const candidate: Candidate = { text: line.text, row, offset: start, factor: 1 };
      return field(line.text, candidate, 0, line.text.length, false);
    }
  }
  return undefined;
}

function kindOf(title: string | undefined, rows: Row[]): ReceiptKind {
  const text =
    title ??
    rows
      .slice(0, 4)
      .map((r) => r.text)
      .join('');
  if (/住院/.test(text)) return 'inpatient';
  if (/门诊|门急诊|急诊/.test(text)) return 'outpatient';
  if (/发票/.test(text)) return 'invoice';
  return 'unknown';
}

/** Words that make an amount a payment or a total, not a charge item. */
const NOT_AN_ITEM =
  /合计|小写|大写|总计|总额|金额|支付|自付|自费|现金|账户|帐户|统筹|基金|余额|预交|预缴|补缴|退|实收|应收|起付|报销|负担|分类|符合|范围|医保|找零|收款|共济|代码|号码|日期/;

/** Rows that end an item table: totals, payments, any field label. */
function endsTable(hits: readonly LabelHit[]): boolean {
  return (
    hits.some((h) => h.kind !== 'header' && h.kind !== 'stop') ||
    hits.some((h) => h.kind === 'stop' && h.end - h.start >= 4 && h.start === 0)
  );
}

/**
 * Items by geometry when the lines have boxes and a header names the columns (table.ts); else by
 * text: a name followed by an amount, as many per row as the row holds.
 */
function readItems(rows: Row[], hitsPerRow: LabelHit[][], hasBoxes: boolean): LineItem[] {
  if (hasBoxes) {
    const table = readItemTable(
      rows.map((row) => row.lines as TableLine[]),
      (r) => endsTable(hitsPerRow[r] ?? []),
    );
    if (table && table.items.length > 0)
      return table.items.filter((item) => !NOT_AN_ITEM.test(item.name.value) || item.flag !== undefined);
  }
  return readTextItems(rows, hitsPerRow);
}

function readTextItems(rows: Row[], hitsPerRow: LabelHit[][]): LineItem[] {
  const headerRow = rows.findIndex(
    (row, r) =>
      (hitsPerRow[r] ?? []).filter((h) => h.kind === 'header').length >= 2 ||
      /项目名称|收费项目|费用项目/.test(row.text),
  );
  const totalRow = rows.findIndex(
    (_, r) =>
      r > headerRow &&
      (hitsPerRow[r] ?? []).some((h) => h.kind === 'total' || h.kind === 'words' || h.kind === 'figures'),
  );
  const from = headerRow >= 0 ? headerRow + 1 : 0;
  const to = totalRow >= 0 ? totalRow : rows.length;
  const items: LineItem[] = [];
  for (let r = from; r < to; r += 1) {
    const row = rows[r];
    if (!row) continue;
    if ((hitsPerRow[r] ?? []).some((h) => h.kind !== 'header')) continue;
    let cursor = 0;
    for (const amount of findAmounts(row.text)) {
      const between = row.text.slice(cursor, amount.index);
      // The name is the last run of Chinese (with brackets) before the amount; quantities and units may follow it.
      const names = [...between.matchAll(/[\u4e00-\u9fff][\u4e00-\u9fff()A-Za-z·/]*/g)];
      const last = names[names.length - 1];
      cursor = amount.index + amount.length;
      if (!last || last.index === undefined) continue;
      const name = last[0].replace(/\($/, '');
      if (name.length < 2 || NOT_AN_ITEM.test(name)) continue;
      const candidate: Candidate = { text: row.text, row, offset: 0, factor: 1 };
      items.push({
        name: field(name, candidate, last.index, last.index + name.length, false),
        amount: field(amount.fen, candidate, amount.index, amount.index + amount.length, amount.corrected),
      });
    }
  }
  return items;
}

// ---------------------------------------------------------------------------------------------

/** What every receipt prints: its 票据代码 / 号码, or an invoice's. */
const RECEIPT_MARKS = /票据代码|票据号码|发票代码|发票号码|收费票据|电子票据|发票/;
/** The headings of what is put among receipts by mistake, in the first rows of the page. */
const OTHER_HEADINGS: ReadonlyArray<[NonNullable<ExtractedReceipt['otherDocument']>, RegExp]> = [
  ['prescription', /处方笺|处方单|^(普通|急诊|儿科|麻醉|精一|精二)?处方$/],
  ['feeList', /费用清单|费用明细清单|费用明细表|明细清单/],
];
const HEADING_ROWS = 4;

/** A prescription or a 费用清单 by its heading, when nothing on the page is a receipt's. */
function otherDocumentOf(rows: readonly Row[]): ExtractedReceipt['otherDocument'] {
  if (rows.some((row) => RECEIPT_MARKS.test(row.text))) return undefined;
  const headings = rows.slice(0, HEADING_ROWS).flatMap((row) => row.lines.map((line) => line.text));
  return OTHER_HEADINGS.find(([, heading]) => headings.some((text) => heading.test(text)))?.[0];
}

/** Reads receipt fields from OCR lines. Lines are the adapter's output, validated by `ocrLinesSchema`. */
export function extractReceipt(input: readonly OcrLine[]): ExtractedReceipt {
  const { lines, hasBoxes } = prepareLines(input);
  const rows = groupRows(lines, hasBoxes);
  const hitsPerRow = rows.map((row) => labelsIn(row.text));
  const fields: ReceiptFields = {};
  const c = (kind: LabelKind): Candidate[] => candidates(rows, hitsPerRow, kind);

  const title = readTitle(rows, hitsPerRow);
  if (title) fields.title = title;
  const kind = kindOf(title?.value, rows);
  const isInvoice = kind === 'invoice';

  const code = first(c('code'), (x) => readDigits(x, isInvoice ? [10, 12] : [8, 10, 12]));
  if (code) fields.code = code;
  const number = first(c('number'), (x) => readDigits(x, isInvoice ? [8, 20] : [10, 8, 20]));
  if (number) fields.number = number;
  const checkCode = first(c('checkCode'), (x) => readDigits(x, [20]) ?? readAlnum(x, [6]));
  if (checkCode) fields.checkCode = checkCode;
  const issueDate = first(c('issueDate'), (x) => readDate(x));
  if (issueDate) fields.issueDate = issueDate;
  const payer = first(c('payer'), (x) => readName(x, 2, 10));
  if (payer) fields.payer = payer;

  let hospital = first(c('hospital'), (x) => readOrganisation(x));
  if (!hospital) {
    // No label: a row that names a hospital and is not the title, by shape alone.
    for (const row of rows) {
      const line = row.lines.find((l) => HOSPITAL_WORDS.test(l.text) && !TITLE.test(l.text) && !/:/.test(l.text));
      if (!line) continue;
      const start = row.text.indexOf(line.text);
      const read = readOrganisation({ text: line.text, row, offset: start, factor: UNLABELLED });
      if (read) {
        hospital = read;
        break;
      }
    }
  }
  if (hospital) fields.hospital = hospital;

  const outpatientNo = first(c('outpatientNo'), (x) => readAlnumRun(x));
  if (outpatientNo) fields.outpatientNo = outpatientNo;
  const inpatientNo = first(c('inpatientNo'), (x) => readAlnumRun(x));
  if (inpatientNo) fields.inpatientNo = inpatientNo;

  const admission = first(c('admissionDate'), (x) => readDate(x)) ?? first(c('stay'), (x) => readDate(x));
  if (admission) fields.admissionDate = admission;
  const discharge = first(c('dischargeDate'), (x) => readDate(x)) ?? first(c('stay'), (x) => readDate(x, 1));
  if (discharge) fields.dischargeDate = discharge;

  const figures = first(c('figures'), readAmount) ?? first(c('total'), readAmount);
  if (figures) fields.totalFigures = figures;
  let words = first(c('words'), (x) => readWords(x, true));
  if (!words) {
    // Without its label: any run of 大写 characters that parses as an amount.
    for (const row of rows) {
      words = readWords({ text: row.text, row, offset: 0, factor: UNLABELLED }, false) ?? undefined;
      if (words) break;
    }
  }
  if (words) fields.totalWords = words;
  const fundPaid = first(c('fundPaid'), readAmount);
  if (fundPaid) fields.fundPaid = fundPaid;

  let items = readItems(rows, hitsPerRow, hasBoxes);
  const measured = lines.filter((line) => line.rect !== undefined).map((line) => line.photoHeight ?? line.height);
  if (hasBoxes && measured.length >= 5 && median(measured) < SMALL_PRINT_PX) {
    const weaker = <F extends { confidence: number }>(f: F): F => ({
      ...f,
      confidence: clamp(f.confidence * SMALL_PRINT_FACTOR),
    });
    if (fields.payer) fields.payer = weaker(fields.payer);
    if (fields.hospital) fields.hospital = weaker(fields.hospital);
    items = items.map((item) => ({ ...item, name: weaker(item.name) }));
  }

  const otherDocument = otherDocumentOf(rows);
  return {
    kind,
    fields,
    items,
    ...(otherDocument ? { otherDocument } : {}),
    // Aligned with the input: a source's `line` is an index into this array too.
    lines: input.map((line) => {
      const geometry = toRect(line.box);
      const confidence = clamp(line.confidence ?? DEFAULT_LINE_CONFIDENCE);
      return geometry
        ? { text: normaliseText(line.text), box: geometry.rect, confidence }
        : { text: normaliseText(line.text), confidence };
    }),
  };
}

function readAlnumRun(candidate: Candidate): ReturnType<typeof field<string>> | null {
  const match = /^\s*([0-9A-Za-z-]{3,24})/.exec(candidate.text);
  if (!match || match[1] === undefined || !/[0-9]/.test(match[1])) return null;
  return field(match[1], candidate, match[0].length - match[1].length, match[0].length, false);
}
