/**
 * The facts of the 预审 (src/core/precheck.ts) as the server knows them: the claim's form and
 * materials, and what was read from its receipt photos (`receiptReadings`, by photo).
 */
import {
  precheck,
  rerun,
  type PrecheckFacts,
  type PrecheckId,
  type PrecheckResult,
  type ReceiptFacts,
} from '../../src/core/precheck';
import type { LineItem } from '../../src/core/engine';
import type { Store } from '../ports';
import type { ReceiptReadingDoc } from '../receipts/readings';
import type { ClaimDoc } from '../repositories/claims';
import { readingsOf } from '../receipts/registry';

export interface PrecheckInput {
  insuredName: string;
  visit: { visitDate?: string; admissionDate?: string; dischargeDate?: string };
  lineItems: readonly Pick<LineItem, 'amountFen'>[];
  receiptFileIds: readonly string[];
  missingMaterials: readonly string[];
  filingExpired: boolean;
}

function receiptFacts(fileID: string, doc: ReceiptReadingDoc | undefined): ReceiptFacts {
  if (!doc) return { fileID, read: false, disagreements: 0 };
  const { fields } = doc.reading.extracted;
  const { crossCheck } = doc.reading;
  const total = crossCheck.suggested.totalFen?.value ?? fields.totalFigures?.value;
  return {
    fileID,
    // A photo from which nothing was read (a plain picture, a blank page) is no more read than one never read (a probe:
    // 识别票据 of a picture with no receipt on it passed 票据均已识别).
    read: Object.keys(fields).length > 0,
    disagreements: crossCheck.checks.filter((check) => check.status === 'disagree').length,
    ...(fields.payer ? { payer: fields.payer.value } : {}),
    ...(crossCheck.suggested.issueDate?.value || fields.issueDate
      ? { issueDate: crossCheck.suggested.issueDate?.value ?? fields.issueDate?.value }
      : {}),
    ...(fields.admissionDate ? { admissionDate: fields.admissionDate.value } : {}),
    ...(fields.dischargeDate ? { dischargeDate: fields.dischargeDate.value } : {}),
    ...(total !== undefined ? { totalFen: total } : {}),
    ...(fields.fundPaid ? { fundPaidFen: fields.fundPaid.value } : {}),
    ...(doc.reading.image?.sheets ? { sheets: doc.reading.image.sheets } : {}),
  };
}

/** `readings`: the receipts' readings by fileID when the caller has read them already (else read here, in one query). */
export async function precheckClaim(
  store: Store,
  input: PrecheckInput,
  readings?: ReadonlyMap<string, ReceiptReadingDoc>,
): Promise<PrecheckResult> {
  return precheck(await precheckFacts(store, input, readings));
}

export async function precheckFacts(
  store: Store,
  input: PrecheckInput,
  readings?: ReadonlyMap<string, ReceiptReadingDoc>,
): Promise<PrecheckFacts> {
  const known = readings ?? (await readingsOf(store, input.receiptFileIds));
  return {
    missingMaterials: input.missingMaterials,
    receipts: input.receiptFileIds.map((fileID) => receiptFacts(fileID, known.get(fileID))),
    insuredName: input.insuredName,
    visit: input.visit,
    filingExpired: input.filingExpired,
    lineItemsTotalFen: input.lineItems.reduce((sum, item) => sum + item.amountFen, 0),
  };
}

/**
 * A filed claim's 预审 with the checks `ids` judged again (the others as the claim was filed): the totals after a line
 * correction, the receipts' checks after a reviewer had a photo read. Null for a claim filed before the 预审 existed.
 */
export async function recheckClaim(
  store: Store,
  doc: ClaimDoc,
  lineItems: readonly Pick<LineItem, 'amountFen'>[],
  ids: readonly PrecheckId[],
  readings?: ReadonlyMap<string, ReceiptReadingDoc>,
): Promise<PrecheckResult | null> {
  if (!doc.precheck) return null;
  const form = doc.form as { insured?: { name?: string }; visit?: PrecheckInput['visit'] } | null;
  const facts = await precheckFacts(
    store,
    {
      insuredName: form?.insured?.name ?? '',
      visit: form?.visit ?? {},
      lineItems,
      receiptFileIds: doc.receiptFileIds ?? [],
      missingMaterials: [],
      filingExpired: false,
    },
    readings,
  );
  return rerun(doc.precheck, facts, ids);
}
