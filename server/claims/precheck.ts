/**
 * The facts of the 预审 (src/core/precheck.ts) as the server knows them: the claim's form and
 * materials, and what was read from its receipt photos (`receiptReadings`, by photo).
 */
import { precheck, type PrecheckFacts, type PrecheckResult, type ReceiptFacts } from '../../src/core/precheck';
import type { LineItem } from '../../src/core/engine';
import type { Store } from '../ports';
import type { ReceiptReadingDoc } from '../receipts/readings';
import { storedKey } from '../receipts/registry';

export interface PrecheckInput {
  insuredName: string;
  visit: { visitDate?: string; admissionDate?: string; dischargeDate?: string };
  lineItems: readonly Pick<LineItem, 'amountFen'>[];
  receiptFileIds: readonly string[];
  missingMaterials: readonly string[];
  filingExpired: boolean;
}

async function receiptFacts(store: Store, fileID: string): Promise<ReceiptFacts> {
  const doc = await store.collection<ReceiptReadingDoc>('receiptReadings').get(storedKey(fileID));
  if (!doc) return { fileID, read: false, disagreements: 0 };
  const { fields } = doc.reading.extracted;
  const { crossCheck } = doc.reading;
  const total = crossCheck.suggested.totalFen?.value ?? fields.totalFigures?.value;
  return {
    fileID,
    read: true,
    disagreements: crossCheck.checks.filter((check) => check.status === 'disagree').length,
    ...(fields.payer ? { payer: fields.payer.value } : {}),
    ...(crossCheck.suggested.issueDate?.value || fields.issueDate ? { issueDate: crossCheck.suggested.issueDate?.value ?? fields.issueDate?.value } : {}),
    ...(fields.admissionDate ? { admissionDate: fields.admissionDate.value } : {}),
    ...(fields.dischargeDate ? { dischargeDate: fields.dischargeDate.value } : {}),
    ...(total !== undefined ? { totalFen: total } : {}),
  };
}

export async function precheckClaim(store: Store, input: PrecheckInput): Promise<PrecheckResult> {
  return precheck(await precheckFacts(store, input));
}

export async function precheckFacts(store: Store, input: PrecheckInput): Promise<PrecheckFacts> {
  const receipts: ReceiptFacts[] = [];
  for (const fileID of input.receiptFileIds) receipts.push(await receiptFacts(store, fileID));
  return {
    missingMaterials: input.missingMaterials,
    receipts,
    insuredName: input.insuredName,
    visit: input.visit,
    filingExpired: input.filingExpired,
    lineItemsTotalFen: input.lineItems.reduce((sum, item) => sum + item.amountFen, 0),
  };
}
