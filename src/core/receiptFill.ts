/**
 * Receipts that fill the form themselves, the pure part: a reading of one receipt photo (what the
 * `receipts.read` function answered) and what the person did with it (confirmed a row, corrected a
 * value) → the card on screen (each value with a mark where it must be checked) → a patch of the
 * claim draft (hospital name, visit or stay dates, line items in fen, each with the 医保类别 the receipt
 * printed — 甲/乙/丙, or derived from its 自付比例 — and 甲 where it printed none).
 *
 * Nothing is filled silently: a patch exists only once every marked row is confirmed or corrected,
 * and only the person's tap on 填入表单 applies it. Everything applied stays editable in the form.
 *
 * Only types come from ./receipt (parsing stays on the server; the app renders its result), so this
 * module adds next to nothing to the mini-program's main package.
 */
import {
  type Category,
  categoryLabels,
  normaliseDateInput,
  type ClaimDraftState,
  type DraftLineItem,
} from './claimFormDraft';
import type { DuplicateHit } from './contracts/views';
import { type Fen, fenToInputText, formatYuan, parseYuan } from './money';
import { isValidIsoDate } from './policy/dates';
import type { Check, ConfirmTarget, CrossCheckResult } from './receipt/crossCheck';
import { normaliseHospital } from './receipt/identity';
import type { ExtractedReceipt, ReceiptFieldName } from './receipt/schema';

/** What `receipts.read` answers (the parts the app uses). */
export interface ReceiptReadResult {
  fileID: string;
  extracted: ExtractedReceipt;
  crossCheck: CrossCheckResult;
  /** The same receipt (or photo) in another claim, named for this person (masked if another's). */
  duplicates: DuplicateHit[];
  /** Sheets of paper apart on the photo, when more than one: only one of them was read. */
  sheets?: number;
  /** The receipt's identity as the server keys it (absent from readings kept before it was sent). */
  identity?: { key: string; basis: 'code-number' | 'qr' | 'hospital-date-total' } | null;
  timings: { qrMs: number; ocrMs: number; totalMs: number };
}

/** What the person did on a receipt card. Keys: a field name, 'items', or 'items.<i>.name' / 'items.<i>.amount' / 'items.<i>.category'. */
export interface ReceiptReview {
  confirmed: string[];
  /** Corrected values as typed (amounts in yuan, dates as typed). */
  edits: Record<string, string>;
  /** When the card's values went into the form (ms), or absent. */
  appliedAt?: number;
}

export const emptyReview = (): ReceiptReview => ({ confirmed: [], edits: {} });

/** 'category': 医保类别, typed or chosen as A/B/C (or 甲/乙/丙). */
export type RowKind = 'text' | 'date' | 'money' | 'category';

export interface CardRow {
  key: string;
  label: string;
  kind: RowKind;
  /** The value shown: as corrected, else as read; '' when nothing was read. */
  value: string;
  /** The same value as an input would hold it (yuan without grouping, ISO date). */
  inputValue: string;
  /** 0..1, null when not read. */
  confidence: number | null;
  corrected: boolean;
  /** Why the person must look at it, or null. */
  flag: string | null;
  confirmed: boolean;
  edited: boolean;
}

export interface CardItem {
  index: number;
  name: string;
  amountFen: Fen | null;
  /** The category the receipt printed (or as corrected), null when it printed none. */
  category: Category | null;
  nameRow: CardRow;
  amountRow: CardRow;
  /** Present when the receipt printed a category (or the person set one). */
  categoryRow: CardRow | null;
  /** 数量 × 单价 and the printed 自付比例 of a 费用明细 row, for display ('3 × 12.50 元，自付 10%'). */
  detail: string | null;
  /** Why this row must be looked at (its amount disagrees with 数量 × 单价, a cell was unreadable …), or null. */
  flag: string | null;
}

export interface ReceiptCard {
  rows: CardRow[];
  items: CardItem[];
  /** Why the items need a look (sum vs total, weak reading), or null. */
  itemsFlag: string | null;
  itemsConfirmed: boolean;
  /** Cross-checks, disagreements first. */
  checks: Check[];
  /** One sentence per duplicate hit, naming the earlier claim. */
  duplicates: string[];
  /** A prescription or a 费用清单, not a receipt: what it is and where it goes (nothing is filled from it), or null. */
  notReceipt: string | null;
  /** The photo gave too little to read (blurred, glare, dark): what to do, or null. */
  unclear: string | null;
  /** Labels of what must still be confirmed or corrected before the values may go into the form. */
  pending: string[];
  /** Corrections that are not valid yet (e.g. an amount "12.345"), by row key. */
  invalid: Record<string, string>;
  canApply: boolean;
}

/** The card's labels (as FIELD_LABELS in ./receipt/schema, which would bring the zod schemas into the app's bundle). */
const LABELS: Partial<Record<ReceiptFieldName | 'items', string>> = {
  code: '票据代码',
  number: '票据号码',
  checkCode: '校验码',
  issueDate: '开票日期',
  hospital: '收款单位',
  payer: '交款人',
  admissionDate: '入院日期',
  dischargeDate: '出院日期',
  totalFigures: '合计（小写）',
  totalWords: '合计（大写）',
  fundPaid: '医保统筹支付',
  items: '收费项目',
};

const CARD_FIELDS: ReadonlyArray<{ name: ReceiptFieldName; kind: RowKind; stayOnly?: boolean }> = [
  { name: 'code', kind: 'text' },
  { name: 'number', kind: 'text' },
  { name: 'checkCode', kind: 'text' },
  { name: 'issueDate', kind: 'date' },
  { name: 'hospital', kind: 'text' },
  { name: 'payer', kind: 'text' },
  { name: 'admissionDate', kind: 'date', stayOnly: true },
  { name: 'dischargeDate', kind: 'date', stayOnly: true },
  { name: 'totalFigures', kind: 'money' },
  { name: 'totalWords', kind: 'money' },
  // Shown only when above 0 (or unsure): the bill was settled in part at the counter.
  { name: 'fundPaid', kind: 'money' },
];

type Suggestible = keyof CrossCheckResult['suggested'];
/** Below this, a category read from the receipt is marked for a look. */
const CATEGORY_CONFIDENT = 0.8;

const SUGGESTED: Partial<Record<ReceiptFieldName, Suggestible>> = {
  code: 'code',
  number: 'number',
  checkCode: 'checkCode',
  issueDate: 'issueDate',
  hospital: 'hospital',
};

const CATEGORY_INPUT: Record<string, Category> = {
  A: 'A',
  B: 'B',
  C: 'C',
  a: 'A',
  b: 'B',
  c: 'C',
  甲: 'A',
  乙: 'B',
  丙: 'C',
  甲类: 'A',
  乙类: 'B',
  丙类: 'C',
  自费: 'C',
};

/** 'A' / '乙' / '丙类' → the category, else null. */
export function categoryOfInput(text: string): Category | null {
  return CATEGORY_INPUT[text.trim()] ?? null;
}

const shown = (kind: RowKind, value: string | number): { value: string; inputValue: string } => {
  if (kind === 'money' && typeof value === 'number')
    return { value: formatYuan(value), inputValue: fenToInputText(value) };
  if (kind === 'category') {
    const category = categoryOfInput(String(value));
    return category
      ? { value: categoryLabels[category], inputValue: category }
      : { value: String(value), inputValue: String(value) };
  }
  return { value: String(value), inputValue: String(value) };
};

/** A correction's message, or null when it is acceptable. */
export function editProblem(kind: RowKind, text: string): string | null {
  if (text.trim() === '') return '请填写';
  if (kind === 'money') {
    const parsed = parseYuan(text);
    return parsed.ok ? null : parsed.message;
  }
  if (kind === 'date')
    return isValidIsoDate(normaliseDateInput(text)) ? null : '请按「年-月-日」填写真实存在的日期，例如 2026-03-02';
  if (kind === 'category') return categoryOfInput(text) ? null : '医保类别应为甲、乙或丙';
  return null;
}

function edited(kind: RowKind, text: string): { value: string; inputValue: string } {
  if (kind === 'money') {
    const parsed = parseYuan(text);
    return parsed.ok ? shown('money', parsed.fen) : { value: text, inputValue: text };
  }
  if (kind === 'date') {
    const date = normaliseDateInput(text);
    return { value: date, inputValue: date };
  }
  if (kind === 'category') return shown('category', text);
  return { value: text.trim(), inputValue: text };
}

function makeRow(
  key: string,
  label: string,
  kind: RowKind,
  read: { value: string | number; confidence: number; corrected: boolean } | null,
  flag: string | null,
  review: ReceiptReview,
): CardRow {
  const edit = review.edits[key];
  const base = edit !== undefined ? edited(kind, edit) : read ? shown(kind, read.value) : { value: '', inputValue: '' };
  return {
    key,
    label,
    kind,
    ...base,
    confidence: read ? read.confidence : null,
    corrected: read?.corrected ?? false,
    flag,
    confirmed: review.confirmed.includes(key),
    edited: edit !== undefined,
  };
}

/** The card of one reading, given what the person did with it. */
/** What the card knows of the other photos of the claim. */
export interface CardContext {
  /** This receipt is the one an earlier photo of the claim shows (its number, from 1): never filled in twice. */
  samePhotoAs?: number | null;
}

const SUM_DISAGREES = '收费项目之和与合计不一致';

/**
 * The earlier photo of the same receipt among `earlier` (the claim's photos before this one, null where not read):
 * its number from 1, or null. Only the receipt's own identity counts — 票据代码 + 号码 or its QR — as the server's
 * refusal at 提交 does: two 挂号 receipts of one day alike in hospital, date and total are two receipts.
 */
export function samePhotoOfReceipt(
  reading: Pick<ReceiptReadResult, 'identity'>,
  earlier: ReadonlyArray<Pick<ReceiptReadResult, 'identity'> | null>,
): number | null {
  const identity = reading.identity;
  if (!identity || identity.basis === 'hospital-date-total') return null;
  const index = earlier.findIndex((other) => other?.identity?.key === identity.key);
  return index >= 0 ? index + 1 : null;
}

export function receiptCardOf(
  reading: ReceiptReadResult,
  review: ReceiptReview,
  context: CardContext = {},
): ReceiptCard {
  const { fields, items: readItems, kind } = reading.extracted;
  const { suggested, needsConfirmation } = reading.crossCheck;
  const reasons = new Map<ConfirmTarget, string>(needsConfirmation.map((item) => [item.field, item.reason]));
  const stay = kind === 'inpatient';
  const rows: CardRow[] = [];
  for (const { name, kind: rowKind, stayOnly } of CARD_FIELDS) {
    if (stayOnly && !stay && !fields[name]) continue;
    const field = fields[name];
    const hint = SUGGESTED[name];
    const suggestion = hint ? suggested[hint] : undefined;
    // Corroborated (QR = print, 大写 = 小写 …) values come from the cross-check; others as printed.
    const read =
      suggestion && typeof suggestion.value === 'string'
        ? { value: suggestion.value, confidence: suggestion.confidence, corrected: field?.corrected ?? false }
        : field
          ? { value: field.value, confidence: field.confidence, corrected: field.corrected }
          : null;
    const corroborated =
      (suggestion?.from.length ?? 0) >= 2 ||
      (name.startsWith('total') &&
        (suggested.totalFen?.from.length ?? 0) >= 2 &&
        suggested.totalFen?.value === field?.value);
    const flag = reasons.get(name) ?? (read?.corrected && !corroborated ? '识别时纠正了易混字符，请核对' : null);
    if (!read && !flag) continue;
    if (name === 'fundPaid' && !flag) continue;
    rows.push(makeRow(name, LABELS[name] ?? name, rowKind, read, flag, review));
  }
  const items: CardItem[] = readItems.map((item, index) => {
    const flag = item.flag ?? null;
    const nameRow = makeRow(`items.${index}.name`, `第 ${index + 1} 项名称`, 'text', item.name, null, review);
    const amountRow = makeRow(
      `items.${index}.amount`,
      `第 ${index + 1} 项金额`,
      'money',
      item.amount ?? null,
      flag ?? (item.amount ? null : '金额未能识别，请填写'),
      review,
    );
    const categoryKey = `items.${index}.category`;
    const categoryRow =
      item.category || review.edits[categoryKey] !== undefined
        ? makeRow(
            categoryKey,
            `第 ${index + 1} 项医保类别`,
            'category',
            item.category ?? null,
            item.category && item.category.confidence < CATEGORY_CONFIDENT ? '医保类别识别把握不大，请核对' : null,
            review,
          )
        : null;
    const amount = parseYuan(amountRow.inputValue);
    const parts = [
      item.quantity && item.unitPrice ? `${String(item.quantity.value)} × ${formatYuan(item.unitPrice.value)}` : '',
      item.selfPayPercent ? `自付 ${String(item.selfPayPercent.value)}%` : '',
    ].filter(Boolean);
    return {
      index,
      name: nameRow.value,
      amountFen: amount.ok ? amount.fen : null,
      category: categoryRow ? categoryOfInput(categoryRow.inputValue) : null,
      nameRow,
      amountRow,
      categoryRow,
      detail: parts.length > 0 ? parts.join('，') : null,
      flag: amountRow.edited ? null : amountRow.flag,
    };
  });
  const itemsConfirmed = review.confirmed.includes('items');
  // A sum that disagreed with a misread total agrees once the total is corrected: no flag left then.
  const totals = rows
    .filter((r) => r.key === 'totalFigures' || r.key === 'totalWords')
    .map((r) => parseYuan(r.inputValue));
  const sum = items.every((item) => item.amountFen !== null)
    ? items.reduce((acc, item) => acc + (item.amountFen ?? 0), 0)
    : null;
  const sumAgrees = items.length > 0 && totals.length > 0 && totals.every((total) => total.ok && total.fen === sum);
  const itemsReason = reasons.get('items') ?? null;
  // A total the person typed (none was read: the foot of the receipt cut off) is checked against the items as a read
  // one is: 3 items of 119.20 元 went into the form beside a typed 123.45 unmarked (a test of unseen layouts).
  const typedTotal = rows.some((r) => (r.key === 'totalFigures' || r.key === 'totalWords') && r.edited);
  // An item's amount corrected by hand is checked against the total too: 5,123.45 typed as 5,123.54 went into the form
  // 0.09 元 above the printed 合计, unmarked (a walk).
  const typedItem = items.some((item) => item.amountRow.edited);
  const sumDisagrees = items.length > 0 && totals.some((total) => total.ok && total.fen !== sum);
  const itemsFlag =
    itemsReason === SUM_DISAGREES && sumAgrees
      ? null
      : (itemsReason ?? ((typedTotal || typedItem) && sumDisagrees ? SUM_DISAGREES : null));

  const invalid: Record<string, string> = {};
  for (const row of [
    ...rows,
    ...items.flatMap((item) => [item.nameRow, item.amountRow, ...(item.categoryRow ? [item.categoryRow] : [])]),
  ]) {
    if (!row.edited) continue;
    const problem = editProblem(row.kind, review.edits[row.key] ?? '');
    if (problem) invalid[row.key] = problem;
  }
  const pending = rows
    .filter((row) => row.flag && !row.confirmed && !(row.edited && !invalid[row.key]))
    .map((row) => row.label);
  if (itemsFlag && !itemsConfirmed) pending.push(LABELS.items ?? '收费项目');
  const duplicates = [
    ...(context.samePhotoAs
      ? [
          `这张票据和第 ${context.samePhotoAs} 张是同一张（票据代码、号码相同）。同一张票据只交一张照片，费用只算一次：请在「上传材料」里删掉这一张`,
        ]
      : []),
    ...reading.duplicates.map(
      (hit) => `${hit.basis === 'photo' ? '同一张照片' : '这张票据'}已在${hit.claimLabel}中提交过，不能重复报销`,
    ),
  ];
  // Two of the essentials (total, date, hospital) not read at all: most likely a blurred or dark photo (a walk's card
  // said 未识别 three times and nothing about taking it again).
  const unread = (['totalFigures', 'issueDate', 'hospital'] as const).filter((name) =>
    reasons.get(name)?.startsWith('没有识别到'),
  ).length;
  // The top read (hospital) and the items, but no total: the foot of the receipt is most likely not in the photo (a
  // walk's sharp photo of a receipt cut below its table was told it was blurred).
  const cutFoot =
    readItems.length > 0 &&
    reasons.get('totalFigures')?.startsWith('没有识别到') === true &&
    reasons.get('hospital')?.startsWith('没有识别到') !== true;
  const unclear =
    (reading.sheets ?? 1) > 1
      ? `这张照片里好像有 ${reading.sheets} 张票据，只识别了其中一张。请每张票据单独拍一张照片，这样每张的费用都能算进去。`
      : Object.keys(reading.extracted.fields).length === 0 && readItems.length === 0
        ? // Nothing of a receipt at all: a picture of something else as likely as a blurred one (a walk's plain picture).
          '这张照片上没有认出收费票据的内容。如果它不是收费票据，请点照片上的「删除」去掉它；如果是，可能拍糊了、反光或太暗，请把票据放平、在光线充足的地方重拍一张。'
        : cutFoot
          ? '没有识别到票据的合计金额：如果票据的下半部分没有拍进去，请重拍整张票据；也可以照着票据把合计填上。'
          : unread >= 2
            ? '这张照片上的字没能看清楚（可能拍糊了、反光或太暗）。可以点照片上的「删除」去掉它，把票据放平、在光线充足的地方重拍一张；也可以照着票据把下面标黄的内容填上。'
            : null;
  const order = { disagree: 0, unavailable: 1, agree: 2 } as const;
  // Said once, as the card's banner: not among the checks as well.
  const notReceipt = reading.crossCheck.checks.find((check) => check.id === 'document')?.message ?? null;
  const checks = [...reading.crossCheck.checks]
    .filter((check) => check.id !== 'document')
    .sort((a, b) => order[a.status] - order[b.status]);
  return {
    rows,
    items,
    itemsFlag,
    itemsConfirmed,
    checks,
    duplicates,
    notReceipt,
    unclear,
    pending,
    invalid,
    canApply:
      pending.length === 0 && Object.keys(invalid).length === 0 && duplicates.length === 0 && notReceipt === null,
  };
}

/** Confirms a row (or 'items') as read or as corrected. */
export function confirmRow(review: ReceiptReview, key: string): ReceiptReview {
  return review.confirmed.includes(key) ? review : { ...review, confirmed: [...review.confirmed, key] };
}

/** Records a correction (a correction is itself a confirmation once it is valid). */
export function editRow(review: ReceiptReview, key: string, text: string): ReceiptReview {
  return { ...review, edits: { ...review.edits, [key]: text } };
}

// ---------------------------------------------------------------------------------------------
// Into the form

export interface ReceiptPatch {
  /** 交款人, for a name not filled yet (never replaces one typed or a family member's). */
  insuredName?: string;
  hospitalName?: string;
  /** Outpatient: the visit date (开票日期 of an outpatient receipt). */
  visitDate?: string;
  admissionDate?: string;
  dischargeDate?: string;
  /** `category` where the receipt printed one (or the person set it on the card). */
  lineItems: Array<{ name: string; amountFen: Fen; category?: Category }>;
  /** What the form will get, in plain Chinese, for the card's button and the note after it. */
  summary: string;
  /**
   * Why this receipt cannot go into this form: its hospital is not the one the form names. One claim is one visit to
   * one hospital; a second receipt from another hospital replaced the name and merged its lines into the first's.
   */
  conflict?: string;
  /** 交款人 is not the person the claim is for: said before submitting (the 预审 tells only the reviewer). */
  payerWarning?: string;
  /** The form's dates kept, and why: this receipt's date does not fit the visit other receipts already filled. */
  dateNote?: string;
}

/** The form's dates, and whether another receipt's lines are in the form already (its dates came with them). */
export interface FormVisit {
  visitDate: string;
  admissionDate: string;
  dischargeDate: string;
  othersInForm: boolean;
}

/** Whether lines another receipt photo put in are in the form (a second receipt joins their visit, not replaces it). */
export function otherReceiptsInForm(draft: Pick<ClaimDraftState, 'lineItems'>, fileID: string): boolean {
  const own = receiptLinePrefix(fileID);
  return draft.lineItems.some((line) => line.key.startsWith('receipt-') && !line.key.startsWith(own));
}

const earlier = (a: string | undefined, b: string | undefined): string | undefined =>
  a && b ? (a < b ? a : b) : (a ?? b);
const later = (a: string | undefined, b: string | undefined): string | undefined =>
  a && b ? (a > b ? a : b) : (a ?? b);

/**
 * The dates a receipt puts into the form. Alone in the form, its own: a stay's 入院 and 出院 (出院 from the issue day
 * when not printed), an outpatient visit's day. Joining receipts already filled, it widens a stay to cover both and never
 * moves a date otherwise (a walk: an outpatient receipt of 11-10 added to a stay of 11-13 to 11-17 made 出院 11-10, before
 * 入院, with nothing said); a date that does not fit is said instead. Never a 出院 before the 入院 the form keeps.
 */
function datesOfReceipt(
  stay: boolean,
  printed: { admission?: string; discharge?: string; issued?: string },
  form: FormVisit | undefined,
): Pick<ReceiptPatch, 'visitDate' | 'admissionDate' | 'dischargeDate' | 'dateNote'> {
  const valid = (text: string | undefined): string | undefined => {
    const date = text ? normaliseDateInput(text) : '';
    return isValidIsoDate(date) ? date : undefined;
  };
  const formAdmission = valid(form?.admissionDate);
  const formDischarge = valid(form?.dischargeDate);
  const joining = form?.othersInForm === true;
  if (!stay) {
    const formDay = valid(form?.visitDate);
    if (!printed.issued) return {};
    if (joining && formDay && formDay !== printed.issued)
      return {
        dateNote: `这张票据开于 ${printed.issued}，表单里的就诊日期是 ${formDay}（来自先填入的票据），没有改动。一份申请报销一次就诊：不是同一次就诊的票据，请另开一份申请。`,
      };
    return { visitDate: printed.issued };
  }
  if (joining) {
    if (!printed.admission && !printed.discharge) {
      const inside =
        !printed.issued ||
        ((!formAdmission || printed.issued >= formAdmission) && (!formDischarge || printed.issued <= formDischarge));
      return inside
        ? {}
        : {
            dateNote: `这张票据开于 ${printed.issued}，不在表单的住院期间（${formAdmission ?? '—'} 至 ${formDischarge ?? '—'}）内，入院、出院日期没有改动：请核对它是否属于这次住院。`,
          };
    }
    const admission = earlier(formAdmission, printed.admission);
    const discharge = later(formDischarge, printed.discharge ?? printed.issued);
    return { ...(admission ? { admissionDate: admission } : {}), ...(discharge ? { dischargeDate: discharge } : {}) };
  }
  const admission = printed.admission;
  const discharge = printed.discharge ?? printed.issued;
  const kept = admission ?? formAdmission;
  if (discharge && kept && discharge < kept)
    return {
      ...(admission ? { admissionDate: admission } : {}),
      dateNote: `这张票据的日期 ${discharge} 早于入院日期 ${kept}，出院日期没有填入：请按票据核对入院、出院日期。`,
    };
  return { ...(admission ? { admissionDate: admission } : {}), ...(discharge ? { dischargeDate: discharge } : {}) };
}

/** The same hospital, written alike or one name inside the other (北京协和医院 / 协和医院), after normalising. */
function sameHospital(first: string, second: string): boolean {
  const [a, b] = [normaliseHospital(first), normaliseHospital(second)];
  return a === b || (a.length >= 2 && b.length >= 2 && (a.includes(b) || b.includes(a)));
}

/**
 * The values the person confirmed, as a patch of the draft; null while something is pending.
 * `formName`: the form's 姓名 and whether a family member is chosen. 交款人 fills a name still empty
 * (never a family member's); a name it already filled stays in the patch, so the note after 填入表单
 * still says so.
 */
export function receiptPatchOf(
  reading: ReceiptReadResult,
  review: ReceiptReview,
  stay: boolean,
  {
    formName,
    formHospital,
    appliedHere = false,
    samePhotoAs = null,
    formVisit,
  }: {
    formName?: { name: string; familyMember: boolean };
    /** The hospital the form names now. */
    formHospital?: string;
    /** This receipt already went into the form (its hospital may be the form's because of it). */
    appliedHere?: boolean;
    /** An earlier photo of the claim shows this receipt (`samePhotoOfReceipt`): nothing to fill. */
    samePhotoAs?: number | null;
    /** The form's dates now, and whether other receipts filled them (`otherReceiptsInForm`). */
    formVisit?: FormVisit;
  } = {},
): ReceiptPatch | null {
  const card = receiptCardOf(reading, review, { samePhotoAs });
  if (!card.canApply) return null;
  const value = (key: string): string | undefined => card.rows.find((row) => row.key === key)?.inputValue || undefined;
  const date = (key: string): string | undefined => {
    const text = value(key);
    return text && isValidIsoDate(normaliseDateInput(text)) ? normaliseDateInput(text) : undefined;
  };
  const lineItems = card.items.flatMap((item) =>
    item.amountFen !== null && item.name.trim()
      ? [{ name: item.name.trim(), amountFen: item.amountFen, ...(item.category ? { category: item.category } : {}) }]
      : [],
  );
  const patch: ReceiptPatch = { lineItems, summary: '' };
  const payer = value('payer')?.trim();
  const nameInForm = formName?.name.trim();
  if (formName && !formName.familyMember && payer && (!nameInForm || nameInForm === payer)) patch.insuredName = payer;
  const hospital = value('hospital');
  if (hospital) patch.hospitalName = hospital.trim();
  const named = formHospital?.trim();
  if (hospital && named && !appliedHere && !sameHospital(hospital, named))
    patch.conflict = `这张票据的医院「${hospital.trim()}」与表单里的「${named}」不同。一份申请只报销同一家医院的一次就诊，别的医院的票据请另开一份申请；如果是同一家医院，请把上面的「收款单位」改成与表单一致。`;
  const insuredName = nameInForm || undefined;
  if (payer && insuredName && payer !== insuredName)
    patch.payerWarning = `票据交款人「${payer}」与参保人「${insuredName}」不一致。报销的是参保人本人的费用，请确认这张票据是${insuredName}的；经办机构会核对。`;
  Object.assign(
    patch,
    datesOfReceipt(
      stay,
      { admission: date('admissionDate'), discharge: date('dischargeDate'), issued: date('issueDate') },
      formVisit,
    ),
  );
  const parts = [
    patch.insuredName ? `姓名「${patch.insuredName}」` : '',
    patch.hospitalName ? `医院名称「${patch.hospitalName}」` : '',
    patch.visitDate ? `就诊日期 ${patch.visitDate}` : '',
    patch.admissionDate ? `入院日期 ${patch.admissionDate}` : '',
    patch.dischargeDate ? `出院日期 ${patch.dischargeDate}` : '',
    lineItems.length > 0
      ? `费用明细 ${lineItems.length} 项（合计 ${formatYuan(lineItems.reduce((sum, item) => sum + item.amountFen, 0))}）`
      : '',
  ].filter(Boolean);
  patch.summary = parts.length > 0 ? parts.join('、') : '没有可填入的内容';
  return patch;
}

/**
 * Whether the form's lines from this receipt are no longer what its card would fill (changed in the form since): the
 * card then says that 重新填入表单 would put its own back (a walk fixed a line in the form, and the card still offered
 * the wrong figure to fill in again, unsaid).
 */
export function formLinesChanged(
  draft: Pick<ClaimDraftState, 'lineItems'>,
  fileID: string,
  patch: Pick<ReceiptPatch, 'lineItems'>,
): boolean {
  const inForm = receiptLinesIn(draft, fileID);
  if (inForm.length === 0) return false;
  if (inForm.length !== patch.lineItems.length) return true;
  return inForm.some((line, index) => {
    const item = patch.lineItems[index]!;
    const amount = parseYuan(line.yuan);
    return line.name.trim() !== item.name || !amount.ok || amount.fen !== item.amountFen;
  });
}

/** Keys of the lines a receipt put into the form: applying the same receipt again replaces them. */
export function receiptLineKey(fileID: string, index: number): string {
  let hash = 0;
  for (const char of fileID) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return `receipt-${hash.toString(36)}-${index}`;
}

const isBlankLine = (line: DraftLineItem): boolean => line.name.trim() === '' && line.yuan.trim() === '';

const receiptLinePrefix = (fileID: string): string => receiptLineKey(fileID, 0).replace(/0$/, '');

/** The lines of the draft a receipt photo put into the form (deleting the photo asks about them first). */
export function receiptLinesIn(draft: Pick<ClaimDraftState, 'lineItems'>, fileID: string): DraftLineItem[] {
  const prefix = receiptLinePrefix(fileID);
  return draft.lineItems.filter((line) => line.key.startsWith(prefix));
}

/**
 * The draft without the lines a receipt photo put in: its photo deleted, its money leaves the form with it (a walk
 * deleted the second photo of one receipt; its 4 lines stayed, and the estimate with them at twice the bill).
 */
export function withoutReceiptLines(draft: ClaimDraftState, fileID: string): ClaimDraftState {
  const prefix = receiptLinePrefix(fileID);
  const kept = draft.lineItems.filter((line) => !line.key.startsWith(prefix));
  if (kept.length === draft.lineItems.length) return draft;
  const blank: DraftLineItem = { key: `${draft.localId}-1`, name: '', yuan: '', category: 'A' };
  return { ...draft, lineItems: kept.length > 0 ? kept : [blank] };
}

/**
 * The draft with a receipt's confirmed values: an empty name filled with 交款人, hospital name and dates replaced, the receipt's lines
 * added (each with the category the receipt printed, else 甲 — a category the person already chose in the
 * form for this line is kept), replacing empty lines and this receipt's earlier lines, keeping every other line.
 */
export function applyReceiptPatch(draft: ClaimDraftState, fileID: string, patch: ReceiptPatch): ClaimDraftState {
  const prefix = receiptLinePrefix(fileID);
  const kept = draft.lineItems.filter((line) => !isBlankLine(line) && !line.key.startsWith(prefix));
  const added: DraftLineItem[] = patch.lineItems.map((item, index) => {
    const key = receiptLineKey(fileID, index);
    const before = draft.lineItems.find((line) => line.key === key);
    return {
      key,
      name: item.name,
      yuan: fenToInputText(item.amountFen),
      category: before?.category ?? item.category ?? 'A',
    };
  });
  const lineItems = [...kept, ...added];
  const fillsName = Boolean(patch.insuredName) && !draft.insured.name.trim() && !draft.personId;
  return {
    ...draft,
    insured: fillsName ? { ...draft.insured, name: patch.insuredName ?? '' } : draft.insured,
    hospital: patch.hospitalName ? { ...draft.hospital, name: patch.hospitalName } : draft.hospital,
    visit: {
      ...draft.visit,
      ...(patch.visitDate ? { visitDate: patch.visitDate } : {}),
      ...(patch.admissionDate ? { admissionDate: patch.admissionDate } : {}),
      ...(patch.dischargeDate ? { dischargeDate: patch.dischargeDate } : {}),
    },
    lineItems: lineItems.length > 0 ? lineItems : draft.lineItems,
  };
}

/**
 * Said beside the estimate when receipts show the fund paid part of the bill at the counter (医保统筹支付 above 0): the
 * estimate counts the receipts' whole totals, so it is too high by about that much (a walk: 155.04 元 estimated on a
 * receipt of which the fund had paid 355.04 at the counter). Null when none does.
 */
export function fundPaidNotice(readings: ReadonlyArray<Pick<ReceiptReadResult, 'extracted'>>): string | null {
  const paid = readings.map((reading) => reading.extracted.fields.fundPaid?.value ?? 0).filter((fen) => fen > 0);
  if (paid.length === 0) return null;
  const total = paid.reduce((sum, fen) => sum + fen, 0);
  return `有 ${paid.length} 张票据显示医保统筹基金已经支付了 ${formatYuan(total)}：这部分看病时已经用医保结算过，不能再报销。上面的预估按票据的全部费用计算，会比实际多，以经办机构审核为准。`;
}

/**
 * The lines' total against the receipts' totals — as the person corrected them on the card, else as read — when every
 * receipt photo was read with a total and none is refused as a duplicate: the sentence to show when they differ, else
 * null. A claim went in at 1,295.37 元 against receipts read at 1,097.37 — a line typed 907.17 for 709.17 — and only the
 * reviewer's 预审 said so (a walk).
 */
export function receiptTotalsNotice(
  receipts: ReadonlyArray<{
    reading: Pick<ReceiptReadResult, 'extracted' | 'crossCheck' | 'duplicates' | 'identity'>;
    review: ReceiptReview;
  }>,
  receiptPhotos: number,
  lineItemsTotalFen: Fen,
): string | null {
  if (receipts.length === 0 || receipts.length !== receiptPhotos) return null;
  if (receipts.some(({ reading }) => reading.duplicates.length > 0)) return null;
  // A second photo of one receipt counts once (its card says so and fills nothing): the totals counted it twice, and
  // the page sent the person to check amounts that were right (a walk: 1,260.98 元 read, 630.49 filed).
  const repeats = receipts.flatMap(({ reading }, index) => {
    const earlier = samePhotoOfReceipt(
      reading,
      receipts.slice(0, index).map((other) => other.reading),
    );
    return earlier === null ? [] : [{ photo: index + 1, earlier }];
  });
  const repeated = repeats.map(
    ({ photo, earlier }) =>
      `第 ${photo} 张票据照片与第 ${earlier} 张是同一张票据，费用只算一次：请到「上传材料」删掉第 ${photo} 张，否则提交时会被退回。`,
  );
  const once = receipts.filter((_, index) => !repeats.some((repeat) => repeat.photo === index + 1));
  const totalsNotice = totalsDiffer(once, lineItemsTotalFen);
  return repeated.length > 0 || totalsNotice ? [...repeated, ...(totalsNotice ? [totalsNotice] : [])].join('') : null;
}

function totalsDiffer(
  receipts: ReadonlyArray<{ reading: Pick<ReceiptReadResult, 'extracted' | 'crossCheck'>; review: ReceiptReview }>,
  lineItemsTotalFen: Fen,
): string | null {
  const totals = receipts.map(({ reading, review }) => {
    const typed = review.edits.totalFigures;
    if (typed !== undefined) {
      const parsed = parseYuan(typed);
      return parsed.ok ? parsed.fen : undefined;
    }
    return reading.crossCheck.suggested.totalFen?.value ?? reading.extracted.fields.totalFigures?.value;
  });
  if (totals.some((total) => total === undefined)) return null;
  const read = totals.reduce<number>((sum, total) => sum + (total ?? 0), 0);
  if (read === lineItemsTotalFen) return null;
  return `费用明细合计 ${formatYuan(lineItemsTotalFen)}，票据上的合计是 ${formatYuan(read)}，相差 ${formatYuan(Math.abs(read - lineItemsTotalFen))}：请对照票据核对每一项金额，改正后再提交。`;
}
