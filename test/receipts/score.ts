/**
 * Field-level scoring of a reading against a generated receipt's ground truth (bench and tests).
 * A field is exact when the value read equals the truth; a missing field counts as wrong. The total
 * is judged on what the form would pre-fill (the cross-check's suggestion): exact, or flagged for
 * confirmation — never silently wrong.
 */
import type { ReceiptReading } from '../../src/core/receipt';
import type { GroundTruth } from './generator';

export interface FieldScore {
  field: string;
  expected: string;
  actual: string | null;
  exact: boolean;
}

export interface ReceiptScore {
  fields: FieldScore[];
  totalExact: boolean;
  totalFlagged: boolean;
}

export function scoreReading(truth: GroundTruth, reading: ReceiptReading): ReceiptScore {
  const f = reading.extracted.fields;
  const fields: FieldScore[] = [];
  const add = (field: string, expected: string | number | undefined, actual: string | number | undefined): void => {
    if (expected === undefined) return;
    fields.push({ field, expected: String(expected), actual: actual === undefined ? null : String(actual), exact: String(expected) === (actual === undefined ? null : String(actual)) });
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
  // Items: each printed item is one field, matched by name (the layout prints each name once).
  for (const item of truth.items) {
    const read = reading.extracted.items.find((i) => i.name.value.endsWith(item.name));
    add(`item:${item.name}`, item.fen, read?.amount.value);
  }
  const suggested = reading.crossCheck.suggested.totalFen?.value;
  return {
    fields,
    totalExact: suggested === truth.totalFen && truth.totalFiguresFen === truth.totalFen,
    totalFlagged: reading.crossCheck.needsConfirmation.some((c) => c.field === 'totalFigures' || c.field === 'totalWords'),
  };
}
