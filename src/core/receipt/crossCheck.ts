/**
 * Cross-checks between what a receipt says twice: the total in words (大写) and in figures (小写), the
 * items and their total, the QR payload and the printed text. The result names every field the
 * person must look at before the form accepts it (`needsConfirmation`); nothing is filled silently.
 *
 * A value is "corroborated" when two independent readings agree (大写 = 小写, QR = OCR). A
 * corroborated value may be pre-filled as is; any other value is pre-filled only as a suggestion
 * when its confidence is high, and marked for confirmation when it is not.
 */
import { type Fen, formatFen } from '../money';
import { type QrPayload, qrFields } from './qr';
import { type ExtractedReceipt, FIELD_LABELS, type ReceiptFieldName } from './schema';

/** At or above this confidence an uncorroborated value is shown as read, without a warning. */
export const CONFIDENT = 0.8;

export type CheckId =
  | 'wordsVsFigures'
  | 'itemsVsTotal'
  | 'qrAmount'
  | 'qrDate'
  | 'qrCode'
  | 'qrNumber'
  | 'qrCheckCode'
  | 'document';

/** What a photo put among the receipts is when it is not one (`ExtractedReceipt.otherDocument`), for every reader. */
export const OTHER_DOCUMENT_TEXT: Record<NonNullable<ExtractedReceipt['otherDocument']>, string> = {
  prescription: '这张是处方，不是收费票据：处方请放到「处方」材料里；这里请拍医院开的收费票据（有票据代码和票据号码）',
  feeList:
    '这张是费用清单，不是收费票据：清单请放到「费用明细清单」材料里；这里请拍医院开的收费票据（有票据代码和票据号码）',
};

export interface Check {
  id: CheckId;
  status: 'agree' | 'disagree' | 'unavailable';
  /** Plain Chinese, for the claimant and the reviewer. */
  message: string;
}

export type ConfirmTarget = ReceiptFieldName | 'items';

export interface Confirmation {
  field: ConfirmTarget;
  reason: string;
}

export interface Suggested<T> {
  value: T;
  confidence: number;
  /** Which readings agree on this value: 'ocr', 'words', 'qr', 'items'. */
  from: Array<'ocr' | 'words' | 'qr' | 'items'>;
}

export interface CrossCheckResult {
  checks: Check[];
  needsConfirmation: Confirmation[];
  /** The values a form should pre-fill (each still shown to the person). */
  suggested: {
    totalFen?: Suggested<Fen>;
    issueDate?: Suggested<string>;
    code?: Suggested<string>;
    number?: Suggested<string>;
    checkCode?: Suggested<string>;
    hospital?: Suggested<string>;
  };
}

const yuan = (fen: Fen): string => `${formatFen(fen)} 元`;

/** Why a receipt with 医保统筹支付 above 0 must be looked at (the card and the 预审 say it). */
export const FUND_PAID_REASON =
  '票据显示医保统筹基金已经支付了一部分，说明这次看病已经用医保结算过：已结算的部分不能再报销，请核对金额';

export function crossCheck(receipt: ExtractedReceipt, qr: QrPayload | null = null): CrossCheckResult {
  const { fields, items } = receipt;
  const fromQr = qr ? qrFields(qr) : {};
  const checks: Check[] = [];
  const confirm = new Map<ConfirmTarget, string>();
  const need = (field: ConfirmTarget, reason: string): void => {
    if (!confirm.has(field)) confirm.set(field, reason);
  };
  const corroborated = new Set<ConfirmTarget>();
  const suggested: CrossCheckResult['suggested'] = {};
  // A prescription or a 费用清单 among the receipts: its figures are not a bill's, whatever else agrees.
  if (receipt.otherDocument)
    checks.push({ id: 'document', status: 'disagree', message: OTHER_DOCUMENT_TEXT[receipt.otherDocument] });

  // 大写 vs 小写
  const figures = fields.totalFigures;
  const words = fields.totalWords;
  if (figures && words) {
    if (figures.value === words.value) {
      checks.push({ id: 'wordsVsFigures', status: 'agree', message: `大写与小写金额一致（${yuan(figures.value)}）` });
      corroborated.add('totalFigures').add('totalWords');
      suggested.totalFen = {
        value: figures.value,
        confidence: Math.max(figures.confidence, words.confidence, 0.99),
        from: ['ocr', 'words'],
      };
    } else {
      checks.push({
        id: 'wordsVsFigures',
        status: 'disagree',
        message: `大写金额（${yuan(words.value)}）与小写金额（${yuan(figures.value)}）不一致，请按票据核对`,
      });
      need('totalFigures', '大写与小写金额不一致');
      need('totalWords', '大写与小写金额不一致');
    }
  } else {
    checks.push({
      id: 'wordsVsFigures',
      status: 'unavailable',
      message: figures || words ? '只识别到一种写法的合计金额，无法互相核对' : '没有识别到合计金额',
    });
  }

  // QR amount vs total
  const printedTotal = figures?.value ?? words?.value;
  if (fromQr.amountFen !== undefined) {
    if (printedTotal === undefined) {
      checks.push({
        id: 'qrAmount',
        status: 'unavailable',
        message: `二维码金额为 ${yuan(fromQr.amountFen)}，票面合计未识别`,
      });
    } else if (fromQr.amountFen === figures?.value || fromQr.amountFen === words?.value) {
      checks.push({
        id: 'qrAmount',
        status: 'agree',
        message: `二维码金额与票面合计一致（${yuan(fromQr.amountFen)}）`,
      });
      if (fromQr.amountFen === figures?.value) corroborated.add('totalFigures');
      if (fromQr.amountFen === words?.value) corroborated.add('totalWords');
      const base =
        suggested.totalFen?.value === fromQr.amountFen
          ? suggested.totalFen.from
          : fromQr.amountFen === figures?.value
            ? (['ocr'] as Suggested<Fen>['from'])
            : (['words'] as Suggested<Fen>['from']);
      suggested.totalFen = { value: fromQr.amountFen, confidence: 1, from: [...base, 'qr'] };
    } else {
      const note = qr?.kind === 'vat-invoice' ? '（增值税发票二维码中的金额为不含税金额）' : '';
      checks.push({
        id: 'qrAmount',
        status: 'disagree',
        message: `二维码金额（${yuan(fromQr.amountFen)}）与票面合计（${yuan(printedTotal)}）不一致${note}，请核对`,
      });
      need('totalFigures', '与二维码金额不一致');
    }
  }

  if (!suggested.totalFen) {
    const best = figures ?? words;
    if (best)
      suggested.totalFen = { value: best.value, confidence: best.confidence, from: [figures ? 'ocr' : 'words'] };
    else if (fromQr.amountFen !== undefined && qr?.kind !== 'vat-invoice')
      suggested.totalFen = { value: fromQr.amountFen, confidence: 0.95, from: ['qr'] };
  }

  // Items vs total
  if (items.length > 0 && suggested.totalFen) {
    const sum = items.reduce((acc, item) => acc + (item.amount?.value ?? 0), 0);
    const complete = items.every((item) => item.amount !== undefined);
    if (complete && sum === suggested.totalFen.value) {
      checks.push({ id: 'itemsVsTotal', status: 'agree', message: `各收费项目之和等于合计（${yuan(sum)}）` });
      corroborated.add('items');
      if (!suggested.totalFen.from.includes('items')) suggested.totalFen.from.push('items');
      if (suggested.totalFen.from.length >= 2) {
        suggested.totalFen.confidence = Math.max(suggested.totalFen.confidence, 0.99);
        // The printed totals the items vouch for: those the suggestion was read from.
        if (suggested.totalFen.from.includes('ocr')) corroborated.add('totalFigures');
        if (suggested.totalFen.from.includes('words')) corroborated.add('totalWords');
      }
    } else if (!complete) {
      checks.push({
        id: 'itemsVsTotal',
        status: 'disagree',
        message: `有收费项目的金额未能识别，已识别部分之和为 ${yuan(sum)}，合计 ${yuan(suggested.totalFen.value)}`,
      });
      need('items', '有收费项目的金额未能识别，请补全');
    } else {
      checks.push({
        id: 'itemsVsTotal',
        status: 'disagree',
        message: `各收费项目之和（${yuan(sum)}）与合计（${yuan(suggested.totalFen.value)}）不一致，可能漏识别或识别错了项目`,
      });
      need('items', '收费项目之和与合计不一致');
    }
  } else {
    checks.push({
      id: 'itemsVsTotal',
      status: 'unavailable',
      message: items.length === 0 ? '没有识别到收费项目' : '没有合计金额可供核对',
    });
  }

  // QR vs printed identity fields and date
  const compare = (
    id: CheckId,
    name: 'issueDate' | 'code' | 'number' | 'checkCode',
    qrValue: string | undefined,
  ): void => {
    const printed = fields[name];
    const label = FIELD_LABELS[name];
    if (qrValue === undefined) return;
    if (!printed) {
      checks.push({ id, status: 'unavailable', message: `${label}未在票面识别到，已采用二维码中的值` });
      suggested[name] = { value: qrValue, confidence: 0.98, from: ['qr'] };
      corroborated.add(name);
      return;
    }
    if (printed.value.toUpperCase() === qrValue.toUpperCase()) {
      checks.push({ id, status: 'agree', message: `${label}与二维码一致` });
      corroborated.add(name);
      suggested[name] = { value: printed.value, confidence: 1, from: ['ocr', 'qr'] };
    } else {
      checks.push({
        id,
        status: 'disagree',
        message: `${label}（票面 ${printed.value}）与二维码（${qrValue}）不一致，请核对`,
      });
      need(name, '与二维码不一致');
      suggested[name] = { value: qrValue, confidence: 0.9, from: ['qr'] };
    }
  };
  compare('qrDate', 'issueDate', fromQr.date);
  compare('qrCode', 'code', fromQr.code);
  compare('qrNumber', 'number', fromQr.number);
  compare('qrCheckCode', 'checkCode', fromQr.checkCode);
  for (const name of ['issueDate', 'code', 'number', 'checkCode'] as const) {
    const printed = fields[name];
    if (!suggested[name] && printed)
      suggested[name] = { value: printed.value, confidence: printed.confidence, from: ['ocr'] };
  }
  if (fields.hospital)
    suggested.hospital = { value: fields.hospital.value, confidence: fields.hospital.confidence, from: ['ocr'] };
  else if (fromQr.hospital) suggested.hospital = { value: fromQr.hospital, confidence: 0.95, from: ['qr'] };

  // Missing essentials
  if (!suggested.totalFen) need('totalFigures', '没有识别到合计金额，请填写');
  if (!suggested.issueDate) need('issueDate', '没有识别到开票日期，请填写');
  if (!suggested.hospital) need('hospital', '没有识别到收款单位（医院），请填写');
  if (receipt.kind === 'inpatient') {
    if (!fields.admissionDate) need('admissionDate', '没有识别到入院日期，请填写');
    if (!fields.dischargeDate) need('dischargeDate', '没有识别到出院日期，请填写');
  }
  if (fields.admissionDate && fields.dischargeDate && fields.admissionDate.value > fields.dischargeDate.value) {
    need('admissionDate', '入院日期晚于出院日期');
    need('dischargeDate', '入院日期晚于出院日期');
  }

  // Settled in part at the counter: only what the person paid is theirs to claim (read as 0.00 on most receipts).
  if (fields.fundPaid && fields.fundPaid.value > 0) need('fundPaid', FUND_PAID_REASON);

  // Weak readings that nothing corroborates
  for (const [name, value] of Object.entries(fields) as Array<
    [ReceiptFieldName, { confidence: number; corrected: boolean; underSeal?: boolean } | undefined]
  >) {
    if (!value || corroborated.has(name)) continue;
    // 医保统筹支付 0.00 (the usual case) asks nothing, however faint.
    if (name === 'fundPaid' && fields.fundPaid?.value === 0) continue;
    if (value.underSeal) need(name, '印章压住了文字，请按票据核对');
    else if (value.confidence < CONFIDENT)
      need(name, value.corrected ? '识别时纠正了易混字符，请核对' : '识别把握不大，请核对');
  }
  // A total that only one reading supports is the one figure that must never slip through: neither the
  // suggestion nor a printed total nothing else vouches for.
  if (suggested.totalFen && suggested.totalFen.from.length < 2 && !confirm.has('totalFigures')) {
    need('totalFigures', '合计金额没有第二处可以核对，请确认');
  }
  for (const name of ['totalFigures', 'totalWords'] as const)
    if (fields[name] && !corroborated.has(name)) need(name, '合计金额没有第二处可以核对，请确认');
  // The 小写 is what the receipt states; unread, it may disagree with the 大写 (a misprinted receipt).
  if (words && !figures) need('totalFigures', '没有识别到合计（小写），无法与大写核对，请按票据核对');
  // A row the table reader flagged (数量 × 单价 ≠ 金额, an unreadable cell) and a category read weakly are
  // looked at whatever the sum says: the sum does not vouch for names or categories.
  const flaggedRow = items.find((item) => item.flag !== undefined);
  if (flaggedRow) need('items', `第 ${items.indexOf(flaggedRow) + 1} 项：${flaggedRow.flag ?? ''}，请核对`);
  if (
    items.some(
      (item) =>
        item.category !== undefined &&
        (item.category.confidence < CONFIDENT || item.category.corrected || item.category.underSeal === true),
    )
  )
    need('items', '部分收费项目的医保类别识别把握不大，请核对');
  if (items.some((item) => item.name.confidence < CONFIDENT)) need('items', '部分收费项目名称识别把握不大，请核对');
  if (!corroborated.has('items') && items.some((item) => !item.amount || item.amount.confidence < CONFIDENT)) {
    need('items', '部分收费项目识别把握不大，请核对');
  }

  return {
    checks,
    needsConfirmation: [...confirm].map(([field, reason]) => ({ field, reason })),
    suggested,
  };
}
