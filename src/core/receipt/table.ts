/**
 * Line items read by geometry: 费用明细 tables (项目名称 / 数量 / 单价 / 金额, with 序号, 医保类别 or
 * 自付比例 columns) and item grids with two items side by side. Pure; works on OCR boxes already
 * de-skewed and grouped into rows by their vertical overlap (extract.ts).
 *
 * 1. The header row names the columns; its labels' x-ranges (a label's share of a merged box is taken
 *    in proportion to its characters) give each column's position. A header that names 项目名称 twice
 *    is a grid with two items per row: its columns split into two groups.
 * 2. Every box below the header, down to the row of 合计/大写/小写, is cut into tokens at spaces and at
 *    the seams between words and figures, each with its share of the box. A token goes to a column by
 *    what it is and where it is: words to 项目名称 (甲/乙/丙 to 医保类别), a figure with % to 自付比例,
 *    other figures to the nearest figure column (序号, 数量, 单价, 金额) of its group.
 * 3. Each row is read by column and checked: 数量 × 单价 = 金额; 医保类别 against 自付比例. A row that
 *    does not add up, or whose amount cannot be read, is kept with a flag — never dropped, never
 *    silently guessed (an amount computed from 数量 × 单价 says so).
 */
import { formatFen, type Fen } from '../money';
import type { FieldSource, ItemCategory, LineItem, Rect } from './schema';
import { findAmounts } from './text';

export interface TableLine {
  index: number;
  /** Text after width folding, single spaces kept where the OCR put them. */
  spaced: string;
  /** De-skewed horizontal extent and vertical centre. */
  x0: number;
  x1: number;
  cy: number;
  height: number;
  confidence: number;
  rect?: Rect;
  underSeal?: boolean;
}

type ColumnKind = 'serial' | 'name' | 'category' | 'quantity' | 'unit' | 'amount' | 'ratio' | 'other';

interface Column {
  kind: ColumnKind;
  /** Centre and extent of the header label. */
  cx: number;
  x0: number;
  x1: number;
}

const HEADER_LABELS: Array<[ColumnKind, RegExp]> = [
  ['serial', /序号|编号/g],
  ['name', /项目名称|收费项目|费用项目|药品名称|项目\/规格|品名|名称|项目/g],
  ['category', /医保类别|医保等级|甲乙类|类别|等级/g],
  ['quantity', /数量/g],
  ['unit', /单价/g],
  ['amount', /金额\(元\)|金额|费用\(元\)/g],
  ['ratio', /自付比例\(%\)|自付比例|自付比|比例/g],
  ['other', /规格|单位|备注|剂型/g],
];

/** Relative widths of characters, to place a part of a box (CJK twice as wide as figures). */
export const widthOf = (ch: string): number => (/[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 1 : ch === ' ' ? 0.45 : 0.55);

/** The x-range of characters [from, to) of a line's spaced text, in proportion to their widths. */
function spanOf(line: TableLine, from: number, to: number): [number, number] {
  const chars = [...line.spaced];
  const total = chars.reduce((sum, ch) => sum + widthOf(ch), 0) || 1;
  let before = 0;
  for (let i = 0; i < from; i += 1) before += widthOf(chars[i] ?? '');
  let inside = 0;
  for (let i = from; i < to; i += 1) inside += widthOf(chars[i] ?? '');
  const w = line.x1 - line.x0;
  return [line.x0 + (before / total) * w, line.x0 + ((before + inside) / total) * w];
}

/** Columns named by the header labels of a row's lines, left to right; null unless it names a name and an amount. */
export function headerColumns(lines: readonly TableLine[]): Column[] | null {
  const columns: Column[] = [];
  for (const line of lines) {
    const text = line.spaced;
    const taken: Array<[number, number]> = [];
    for (const [kind, pattern] of HEADER_LABELS) {
      for (const match of text.matchAll(pattern)) {
        if (match.index === undefined) continue;
        const start = match.index;
        const end = start + match[0].length;
        if (taken.some(([a, b]) => start < b && a < end)) continue;
        taken.push([start, end]);
        const [x0, x1] = spanOf(line, start, end);
        columns.push({ kind, cx: (x0 + x1) / 2, x0, x1 });
      }
    }
  }
  columns.sort((a, b) => a.cx - b.cx);
  const names = columns.filter((c) => c.kind === 'name').length;
  const amounts = columns.filter((c) => c.kind === 'amount').length;
  if (names === 0 || amounts === 0) return null;
  return columns;
}

/** Columns split into groups, one per item side by side: a group starts at each 项目名称 (or the 序号 just before it). */
function groupsOf(columns: Column[]): Column[][] {
  const groups: Column[][] = [];
  let current: Column[] = [];
  columns.forEach((column, i) => {
    const next = columns[i + 1];
    const startsGroup = column.kind === 'name' || (column.kind === 'serial' && next?.kind === 'name');
    if (startsGroup && current.some((c) => c.kind === 'name')) {
      groups.push(current);
      current = [];
    }
    current.push(column);
  });
  if (current.length > 0) groups.push(current);
  return groups.filter((group) => group.some((c) => c.kind === 'name') && group.some((c) => c.kind === 'amount'));
}

interface Token {
  text: string;
  x0: number;
  x1: number;
  line: TableLine;
  /** Character range in the line's spaced text. */
  from: number;
  to: number;
  kindHint: 'fig' | 'word';
}

const FIGURE = /[0-9.,¥%]/;
const CJK_OR_LETTER = /[\u4e00-\u9fffA-Za-z()*/·]/;

/** A line cut into tokens at spaces and at the seams between words and figures. */
function tokensOf(line: TableLine): Token[] {
  const tokens: Token[] = [];
  const chars = [...line.spaced];
  let start = -1;
  // 'latin' runs are words too, cut apart from Chinese ones: OCR reads 乙 as Z and glues it to the name.
  let kind: 'fig' | 'word' | 'latin' | null = null;
  const flush = (end: number): void => {
    if (start >= 0 && end > start) {
      const text = chars.slice(start, end).join('');
      const [x0, x1] = spanOf(line, start, end);
      tokens.push({ text, x0, x1, line, from: start, to: end, kindHint: kind === 'fig' ? 'fig' : 'word' });
    }
    start = -1;
    kind = null;
  };
  chars.forEach((ch, i) => {
    if (ch === ' ') {
      flush(i);
      return;
    }
    // Digits inside a name (0.9%氯化钠, 维生素B6) stay with it; a figure after a word is a new token only
    // when it looks like a number of its own (the word before it is complete).
    // Letters OCR returns for digits (1OO.00, 80.5O) belong to the figure they sit in.
    const lookalike = /[OoIlSB|]/.test(ch) && (kind === 'fig' || /[0-9.]/.test(chars[i + 1] ?? ''));
    const chKind: 'fig' | 'word' | 'latin' =
      (FIGURE.test(ch) && kind !== 'latin') || lookalike
        ? 'fig'
        : /[A-Za-z]/.test(ch)
          ? 'latin'
          : CJK_OR_LETTER.test(ch)
            ? 'word'
            : (kind ?? 'word');
    if (kind !== null && chKind !== kind) flush(i);
    if (start < 0) {
      start = i;
      kind = chKind;
    }
  });
  flush(chars.length);
  return tokens;
}

const clamp = (value: number): number => Math.max(0, Math.min(1, Math.round(value * 1000) / 1000));

function sourcesOf(tokens: readonly Token[]): FieldSource[] {
  const byLine = new Map<number, { line: TableLine; x0: number; x1: number }>();
  for (const token of tokens) {
    const seen = byLine.get(token.line.index);
    if (seen) {
      seen.x0 = Math.min(seen.x0, token.x0);
      seen.x1 = Math.max(seen.x1, token.x1);
    } else byLine.set(token.line.index, { line: token.line, x0: token.x0, x1: token.x1 });
  }
  return [...byLine.values()].map(({ line, x0, x1 }) => {
    if (!line.rect) return { line: line.index };
    // The token's share of the box, in the box's own (not de-skewed) coordinates.
    const [x, y, w, h] = line.rect;
    const span = line.x1 - line.x0 || 1;
    const a = (x0 - line.x0) / span;
    const b = (x1 - line.x0) / span;
    return { line: line.index, box: [Math.round(x + a * w), y, Math.max(1, Math.round((b - a) * w)), h] as Rect };
  });
}

function fieldOf<T>(value: T, tokens: readonly Token[], factor = 1, corrected = false) {
  const confidence = tokens.length === 0 ? 0 : Math.min(...tokens.map((t) => t.line.confidence));
  const underSeal = tokens.some((t) => t.line.underSeal);
  return {
    value,
    confidence: clamp(confidence * factor),
    raw: tokens.map((t) => t.text).join(' '),
    corrected,
    sources: sourcesOf(tokens),
    ...(underSeal ? { underSeal: true } : {}),
  };
}

const CATEGORY_WORDS: Record<string, ItemCategory> = {
  甲: 'A',
  甲类: 'A',
  乙: 'B',
  乙类: 'B',
  丙: 'C',
  丙类: 'C',
  自费: 'C',
  全自费: 'C',
};
/** What OCR makes of 甲/乙/丙 in a category cell: read as corrections (lower confidence, so confirmed). */
const CATEGORY_LOOKALIKES: Record<string, ItemCategory> = {
  Z: 'B',
  z: 'B',
  '2': 'B',
  己: 'B',
  申: 'A',
  由: 'A',
  田: 'A',
  两: 'C',
  内: 'C',
  雨: 'C',
};

export function categoryOfRatio(percent: number): ItemCategory {
  return percent === 0 ? 'A' : percent >= 100 ? 'C' : 'B';
}

interface Cells {
  serial: Token[];
  name: Token[];
  category: Token[];
  quantity: Token[];
  unit: Token[];
  amount: Token[];
  ratio: Token[];
}

const emptyCells = (): Cells => ({ serial: [], name: [], category: [], quantity: [], unit: [], amount: [], ratio: [] });

/** How well a token fits a column by what it is (Infinity: it cannot be there). */
function typeCost(token: Token, column: Column): number {
  const text = token.text;
  const isWord = token.kindHint === 'word';
  switch (column.kind) {
    case 'name':
      // A lone 甲/乙/丙 is a category, never a name or a piece of one.
      if (CATEGORY_WORDS[text] !== undefined) return 0.6;
      return isWord ? (/^[A-Za-z]{1,2}$/.test(text) ? 0.3 : 0) : /^\d{1,3}$/.test(text) ? 1.2 : 2.5;
    case 'category':
      if (CATEGORY_WORDS[text] !== undefined) return 0;
      // A digit is more likely a 数量 or 序号 than a 乙 misread.
      if (CATEGORY_LOOKALIKES[text] !== undefined) return /\d/.test(text) ? 0.6 : 0.2;
      return Number.POSITIVE_INFINITY;
    case 'serial':
      return !isWord && /^\d{1,3}$/.test(text) ? 0 : Number.POSITIVE_INFINITY;
    case 'quantity':
      return !isWord && /^\d{1,6}(\.\d{1,3})?$/.test(text.replace(/,/g, '')) ? 0 : Number.POSITIVE_INFINITY;
    case 'unit':
    case 'amount':
      return !isWord && findAmounts(text.replace(/^[¥￥]/, '')).length === 1 ? 0 : Number.POSITIVE_INFINITY;
    case 'ratio':
      return !isWord && RATIO.test(text) ? (/%$/.test(text) && !/%%$/.test(text) ? 0 : 0.5) : Number.POSITIVE_INFINITY;
    default:
      return 0.4;
  }
}

/** A printed 自付比例: 10%, 7.5%; OCR reads % as 96 (596 = 5%) or doubles it. */
const RATIO = /^(\d{1,3})(?:\.\d+)?(%%?|96)$/;

/** Columns that hold one token at most (a name may come in pieces). */
const SINGLE = new Set<ColumnKind>(['serial', 'category', 'quantity', 'unit', 'amount', 'ratio']);
/** Cost of leaving a token out (a speck read as "4", a piece of a seal). */
const SKIP = 2;

/**
 * Tokens (in reading order) → columns (left to right), keeping their order: the assignment of least
 * cost, where a token's cost is how badly its kind fits the column plus how far it sits from the
 * column's label. OCR often returns a whole table row as one box: the order of its pieces and their
 * kinds are then what is certain, their positions only roughly known.
 */
function align(
  columns: readonly Column[],
  tokens: readonly Token[],
  left: number,
  right: number,
): Array<number | null> {
  const n = tokens.length;
  const m = columns.length;
  const span = Math.max(1, right - left);
  const INF = Number.POSITIVE_INFINITY;
  // cost[i][j]: tokens 0..i-1 placed, the last placed one in column j-1 (j = 0: none placed yet).
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(INF));
  const from: Array<Array<[number, number, boolean]>> = Array.from({ length: n + 1 }, () =>
    Array.from({ length: m + 1 }, () => [0, 0, false] as [number, number, boolean]),
  );
  (cost[0] as number[])[0] = 0;
  for (let i = 0; i < n; i += 1) {
    const token = tokens[i] as Token;
    const x = (token.x0 + token.x1) / 2;
    for (let j = 0; j <= m; j += 1) {
      const here = cost[i]?.[j] ?? INF;
      if (here === INF) continue;
      // Leave token i out.
      if (here + SKIP < (cost[i + 1]?.[j] ?? INF)) {
        (cost[i + 1] as number[])[j] = here + SKIP;
        (from[i + 1] as Array<[number, number, boolean]>)[j] = [i, j, false];
      }
      // Put token i in column k ≥ j (the same column only when it may hold several tokens).
      for (let k = Math.max(1, j); k <= m; k += 1) {
        const column = columns[k - 1] as Column;
        if (k === j && SINGLE.has(column.kind)) continue;
        const fit = typeCost(token, column);
        if (fit === INF) continue;
        const distance = Math.abs(x - column.cx) / span;
        const total = here + fit + 3 * distance;
        if (total < (cost[i + 1]?.[k] ?? INF)) {
          (cost[i + 1] as number[])[k] = total;
          (from[i + 1] as Array<[number, number, boolean]>)[k] = [i, j, true];
        }
      }
    }
  }
  let bestJ = 0;
  for (let j = 0; j <= m; j += 1) if ((cost[n]?.[j] ?? INF) < (cost[n]?.[bestJ] ?? INF)) bestJ = j;
  const placed: Array<number | null> = new Array<number | null>(n).fill(null);
  let j = bestJ;
  for (let i = n; i > 0; i -= 1) {
    const [, previous, used] = from[i]?.[j] ?? [0, 0, false];
    if (used) placed[i - 1] = j - 1;
    j = previous;
  }
  return placed;
}

function assign(groups: Column[][], tokens: Token[]): { cells: Cells[]; skipped: Token[] } {
  const cells = groups.map(() => emptyCells());
  const skipped: Token[] = [];
  const columns = groups.flat();
  const left = Math.min(...tokens.map((t) => t.x0), ...columns.map((c) => c.x0));
  const right = Math.max(...tokens.map((t) => t.x1), ...columns.map((c) => c.x1));
  const placed = align(columns, tokens, left, right);
  placed.forEach((columnIndex, i) => {
    const token = tokens[i];
    if (columnIndex === null) {
      if (token) skipped.push(token);
      return;
    }
    const column = columns[columnIndex];
    if (!column || !token || column.kind === 'other') return;
    let g = 0;
    let seen = 0;
    for (const [index, group] of groups.entries()) {
      if (columnIndex < seen + group.length) {
        g = index;
        break;
      }
      seen += group.length;
    }
    cells[g]?.[column.kind].push(token);
  });
  return { cells, skipped };
}

const parseQuantity = (text: string): number | null => {
  const cleaned = text.replace(/,/g, '');
  return /^\d{1,6}(\.\d{1,3})?$/.test(cleaned) ? Number(cleaned) : null;
};

/** One row's cells → a line item (or null when the cells hold no item: empty, or a speck). */
function readRow(cells: Cells, group: readonly Column[], skipped: readonly Token[]): LineItem | null {
  let nameTokens = cells.name;
  // A serial merged into the name box ("3头孢…") or printed without its own column.
  const first = nameTokens[0];
  if (first && /^\d{1,3}[\u4e00-\u9fff]/.test(first.text)) {
    const digits = /^\d{1,3}/.exec(first.text)?.[0] ?? '';
    nameTokens = [{ ...first, text: first.text.slice(digits.length) }, ...nameTokens.slice(1)];
  }
  let name = nameTokens
    .map((t) => t.text)
    .join('')
    .replace(/^[*·\s]+/, '');
  // 甲/乙/丙 printed close after the name comes back glued to it (心电图甲): with an empty category
  // cell in a table that has one, the last character is the category.
  const glued = /^(.{2,}?)([甲乙丙])类?$/.exec(name);
  if (
    glued &&
    cells.category.length === 0 &&
    group.some((c) => c.kind === 'category') &&
    glued[1] !== undefined &&
    glued[2] !== undefined
  ) {
    const last = nameTokens[nameTokens.length - 1];
    name = glued[1];
    if (last)
      cells.category.push({
        ...last,
        text: glued[2],
        x0: last.x1 - (last.x1 - last.x0) / Math.max(1, last.text.length),
        kindHint: 'word',
      });
  }
  const amountTexts = cells.amount.map((t) => t.text).join('');
  const amounts = findAmounts(amountTexts.replace(/^[¥￥]/, ''));
  const hasAnything = /[\u4e00-\u9fff]/.test(name) || amounts.length > 0 || cells.unit.length > 0;
  if (!hasAnything) return null;
  const flags: string[] = [];
  if (skipped.length > 0) flags.push(`有未能归入表格列的内容（${skipped.map((t) => t.text).join(' ')}）`);
  const item: Partial<LineItem> & { name: LineItem['name'] } = {
    name: name.length >= 1 ? fieldOf(name, nameTokens) : fieldOf('（未识别的项目）', [], 0),
  };
  if (name.length < 2) flags.push('项目名称未能识别');
  const quantityValue = cells.quantity.length > 0 ? parseQuantity(cells.quantity.map((t) => t.text).join('')) : null;
  if (cells.quantity.length > 0) {
    if (quantityValue !== null && quantityValue > 0) item.quantity = fieldOf(quantityValue, cells.quantity);
    else flags.push('数量未能识别');
  }
  const unitAmounts = findAmounts(
    cells.unit
      .map((t) => t.text)
      .join('')
      .replace(/^[¥￥]/, ''),
  );
  if (cells.unit.length > 0) {
    const unit = unitAmounts.length === 1 ? unitAmounts[0] : undefined;
    if (unit) item.unitPrice = fieldOf(unit.fen, cells.unit, 1, unit.corrected);
    else flags.push('单价未能识别');
  }
  const amount = amounts.length === 1 ? amounts[0] : undefined;
  if (amount) item.amount = fieldOf(amount.fen, cells.amount, amount.corrected ? 0.85 : 1, amount.corrected);
  const product: Fen | null =
    item.quantity && item.unitPrice ? Math.round(item.quantity.value * item.unitPrice.value) : null;
  if (item.amount && product !== null && product !== item.amount.value) {
    flags.push(`数量 × 单价（${formatFen(product)}）与金额不一致`);
    item.amount = { ...item.amount, confidence: clamp(item.amount.confidence * 0.7) };
  } else if (!item.amount && product !== null && item.quantity && item.unitPrice) {
    // Computed, not read: the row says so and the person confirms it.
    item.amount = {
      value: product,
      confidence: clamp(Math.min(item.quantity.confidence, item.unitPrice.confidence) * 0.7),
      raw: `${item.quantity.raw}×${item.unitPrice.raw}`,
      corrected: true,
      sources: [...item.quantity.sources, ...item.unitPrice.sources],
    };
    flags.push('金额未能识别，已按数量 × 单价计算');
  } else if (!item.amount) {
    flags.push('金额未能识别');
  }
  if (cells.category.length > 0) {
    const text = cells.category.map((t) => t.text).join('');
    const category = CATEGORY_WORDS[text];
    const lookalike = CATEGORY_LOOKALIKES[text];
    if (category) item.category = fieldOf(category, cells.category);
    else if (lookalike) item.category = fieldOf(lookalike, cells.category, 0.85, true);
    else flags.push('医保类别未能识别');
  }
  if (cells.ratio.length > 0) {
    const text = cells.ratio.map((t) => t.text).join('');
    const match = RATIO.exec(text);
    const percent = match ? Number(match[1]) : null;
    // "596" is 5 % read with % as 96: a correction, confirmed by the person.
    const corrected = match !== null && match[2] !== '%';
    if (percent !== null && percent <= 100) {
      item.selfPayPercent = fieldOf(percent, cells.ratio, corrected ? 0.85 : 1, corrected);
      const derived = categoryOfRatio(percent);
      if (!item.category) item.category = fieldOf(derived, cells.ratio, corrected ? 0.85 : 0.95, corrected);
      else if (item.category.value !== derived) flags.push('医保类别与自付比例不一致');
    } else flags.push('自付比例未能识别');
  }
  // The table prints a category on every row: a row without one is looked at, never filled as 甲.
  if (
    !item.category &&
    group.some((c) => c.kind === 'category' || c.kind === 'ratio') &&
    !flags.some((f) => f.startsWith('医保类别') || f.startsWith('自付比例'))
  ) {
    flags.push('医保类别未能识别');
  }
  if (flags.length > 0) item.flag = flags.join('；');
  return item as LineItem;
}

export interface TableReading {
  items: LineItem[];
  /** Index (into the rows given) of the header row and of the first row after the table. */
  headerRow: number;
  endRow: number;
}

/**
 * Reads the item table of a receipt: `rows` are the receipt's rows (lines grouped by vertical overlap,
 * top to bottom), `isEnd(r)` says whether row r ends the table (合计, 大写, a field label). Null when no
 * row is a header naming both 项目名称 and 金额.
 */
export function readItemTable(
  rows: ReadonlyArray<readonly TableLine[]>,
  isEnd: (row: number) => boolean,
): TableReading | null {
  let headerRow = -1;
  let columns: Column[] | null = null;
  for (let r = 0; r < rows.length; r += 1) {
    const found = headerColumns(rows[r] ?? []);
    if (found && found.length >= 2) {
      headerRow = r;
      columns = found;
      break;
    }
  }
  if (!columns) return null;
  const groups = groupsOf(columns);
  if (groups.length === 0) return null;
  const items: LineItem[] = [];
  let endRow = rows.length;
  for (let r = headerRow + 1; r < rows.length; r += 1) {
    if (isEnd(r)) {
      endRow = r;
      break;
    }
    const tokens = (rows[r] ?? []).flatMap((line) => tokensOf(line));
    const { cells, skipped } = assign(groups, tokens);
    cells.forEach((cell, g) => {
      const item = readRow(cell, groups[g] ?? [], skipped);
      if (item) items.push(item);
    });
  }
  return { items, headerRow, endRow };
}
