/**
 * Field-level scoring of a reading against a generated receipt's ground truth (bench and tests).
 * A field is exact when the value read equals the truth; a missing field counts as wrong. The total
 * is judged on what the form would pre-fill (the cross-check's suggestion): exact, or flagged for
 * confirmation — never silently wrong. Line items are scored apart: an item is exact when its amount
 * (and, where the receipt prints one, its 医保类别) is read right. A wrong value is *silent* when
 * nothing asks the person to look at it (the field, or for an item the items or the row, not flagged).
 */
import type { ReceiptReading } from '../../src/core/receipt';
import type { GroundTruth } from './generator';

export interface FieldScore {
  field: string;
  expected: string;
  actual: string | null;
  exact: boolean;
  /** A value was read, it is wrong, and nothing flags it. */
  silent: boolean;
}

export interface ReceiptScore {
  fields: FieldScore[];
  items: FieldScore[];
  totalExact: boolean;
  totalFlagged: boolean;
}

export function scoreReading(truth: GroundTruth, reading: ReceiptReading): ReceiptScore {
  const f = reading.extracted.fields;
  const flagged = new Set(reading.crossCheck.needsConfirmation.map((c) => c.field));
  const fields: FieldScore[] = [];
  const items: FieldScore[] = [];
  const score = (
    field: string,
    expected: string | number,
    actual: string | number | undefined,
    isFlagged: boolean,
  ): FieldScore => {
    const read = actual === undefined ? null : String(actual);
    const exact = String(expected) === read;
    return { field, expected: String(expected), actual: read, exact, silent: !exact && read !== null && !isFlagged };
  };
  const add = (
    field: keyof typeof f,
    expected: string | number | undefined,
    actual: string | number | undefined,
  ): void => {
    if (expected === undefined) return;
    // A total is judged as filled: the suggestion the cross-check makes (what the form shows).
    fields.push(score(field, expected, actual, flagged.has(field)));
  };
  add('title', truth.title, f.title?.value);
  add('code', truth.code, f.code?.value);
  add('number', truth.number, f.number?.value);
  add('checkCode', truth.checkCode, f.checkCode?.value);
  add('issueDate', truth.issueDate, f.issueDate?.value);
  add('payer', truth.payer, f.payer?.value);
  add('hospital', truth.hospital, f.hospital?.value);
  add('outpatientNo', truth.outpatientNo, f.outpatientNo?.value);
  add('inpatientNo', truth.inpatientNo, f.inpatientNo?.value);
  add('admissionDate', truth.admissionDate, f.admissionDate?.value);
  add('dischargeDate', truth.dischargeDate, f.dischargeDate?.value);
  add('totalFigures', truth.totalFiguresFen, f.totalFigures?.value);
  add('totalWords', truth.totalFen, f.totalWords?.value);
  // Items: each printed item, matched by name (the layouts print each name once).
  const itemsFlagged = flagged.has('items');
  for (const item of truth.items) {
    const read = reading.extracted.items.find((i) => i.name.value.endsWith(item.name));
    const expected = item.category ? `${item.fen} ${item.category}` : `${item.fen}`;
    const actual =
      read?.amount === undefined
        ? undefined
        : item.category
          ? `${read.amount.value} ${read.category?.value ?? '-'}`
          : `${read.amount.value}`;
    items.push(score(`item:${item.name}`, expected, actual, itemsFlagged || read?.flag !== undefined));
  }
  // Items read that the receipt does not print (a wrong name, a payment line taken for an item).
  for (const read of reading.extracted.items) {
    if (truth.items.some((item) => read.name.value.endsWith(item.name))) continue;
    items.push(
      score(`extra:${read.name.value}`, '(none)', read.amount?.value ?? '?', itemsFlagged || read.flag !== undefined),
    );
  }
  const suggested = reading.crossCheck.suggested.totalFen?.value;
  return {
    fields,
    items,
    totalExact: suggested === truth.totalFen && truth.totalFiguresFen === truth.totalFen,
    totalFlagged: flagged.has('totalFigures') || flagged.has('totalWords'),
  };
}
