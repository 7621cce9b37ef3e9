/**
 * 预审: what a reviewer checks first on every claim, run by the server at submission (and again
 * when the claim changes) so that a clean claim can go through 初审 and 审核 in one confirmed tap.
 * The rules are data (`precheckRules`): each reads the claim's facts and says passed or not, with a
 * sentence a reviewer reads. A claim is clean when every rule passes.
 *
 * Not among the rules, because they cannot fail on a submitted claim: a duplicate receipt (the
 * registry refuses the submission outright) and the estimate (computed by the submission itself).
 */
import type { Fen } from './money';
import { formatFen } from './money';

export interface ReceiptFacts {
  fileID: string;
  /** A reading exists for this photo (OCR or QR). */
  read: boolean;
  /** Cross-checks that disagree (大写 ≠ 小写, QR ≠ text, items ≠ total). */
  disagreements: number;
  payer?: string;
  issueDate?: string;
  admissionDate?: string;
  dischargeDate?: string;
  totalFen?: Fen;
  /** Sheets of paper apart on the photo, when more than one: only one was read. */
  sheets?: number;
  /** 医保统筹支付 printed on the receipt (above 0: the bill was settled in part at the counter). */
  fundPaidFen?: Fen;
}

export interface PrecheckFacts {
  missingMaterials: readonly string[];
  receipts: readonly ReceiptFacts[];
  insuredName: string;
  visit: { visitDate?: string; admissionDate?: string; dischargeDate?: string };
  filingExpired: boolean;
  lineItemsTotalFen: Fen;
}

export const precheckIds = [
  'materialsComplete',
  'receiptsRead',
  'receiptsAgree',
  'payerIsInsured',
  'datesMatch',
  'withinDeadline',
  'totalsMatch',
  'notSettledByFund',
] as const;
export type PrecheckId = (typeof precheckIds)[number];

export interface PrecheckOutcome {
  id: PrecheckId;
  label: string;
  passed: boolean;
  /** What needs a look, for the reviewer (only when not passed). */
  detail?: string;
}

export interface PrecheckResult {
  clean: boolean;
  outcomes: PrecheckOutcome[];
}

interface Rule {
  id: PrecheckId;
  label: string;
  /** null when it passes; otherwise what needs a look. */
  problem(facts: PrecheckFacts): string | null;
}

const sameName = (a: string, b: string): boolean => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

/** The visit's dates: [first, last]. */
function visitSpan(visit: PrecheckFacts['visit']): [string, string] | null {
  const first = visit.admissionDate ?? visit.visitDate;
  const last = visit.dischargeDate ?? visit.visitDate ?? visit.admissionDate;
  return first && last ? [first, last] : null;
}

export const precheckRules: readonly Rule[] = [
  {
    id: 'materialsComplete',
    label: '材料齐全',
    problem: (facts) => (facts.missingMaterials.length === 0 ? null : `缺少 ${facts.missingMaterials.length} 项材料`),
  },
  {
    id: 'receiptsRead',
    label: '票据均已识别',
    problem: (facts) => {
      if (facts.receipts.length === 0) return '没有收费票据照片';
      const unread = facts.receipts.filter((receipt) => !receipt.read).length;
      if (unread > 0) return `${unread} 张票据没有识别结果，请人工核对`;
      // Two receipts in one photo: one was read, the other's money is in no reading (a test of unseen layouts).
      const several = facts.receipts.filter((receipt) => (receipt.sheets ?? 1) > 1).length;
      return several === 0 ? null : `${several} 张照片里有不止一张票据，只识别了其中一张，请人工核对`;
    },
  },
  {
    id: 'receiptsAgree',
    label: '票据自身核对一致',
    problem: (facts) => {
      const disagreeing = facts.receipts.filter((receipt) => receipt.disagreements > 0).length;
      return disagreeing === 0 ? null : `${disagreeing} 张票据的大小写金额、二维码或明细合计不一致`;
    },
  },
  {
    id: 'payerIsInsured',
    label: '交款人是参保人本人',
    problem: (facts) => {
      const unknown = facts.receipts.filter((receipt) => !receipt.payer).length;
      if (unknown > 0) return `${unknown} 张票据没有识别出交款人，参保人为「${facts.insuredName}」`;
      const others = facts.receipts.filter((receipt) => receipt.payer && !sameName(receipt.payer, facts.insuredName));
      return others.length === 0
        ? null
        : `票据交款人为「${others.map((receipt) => receipt.payer).join('、')}」，与参保人「${facts.insuredName}」不一致`;
    },
  },
  {
    id: 'datesMatch',
    label: '就诊日期在票据日期之内',
    problem: (facts) => {
      const span = visitSpan(facts.visit);
      const dates = facts.receipts
        .flatMap((receipt) => [receipt.issueDate, receipt.admissionDate, receipt.dischargeDate])
        .filter((date): date is string => Boolean(date))
        .sort();
      if (!span) return '申请没有就诊日期';
      const visit = span[0] === span[1] ? span[0] : `${span[0]} 至 ${span[1]}`;
      // What the claim says, beside what could not be read: the reviewer compares it with the photo (a walk: the dates
      // the claimant had confirmed on the receipt were nowhere beside 票据上没有识别出日期).
      if (dates.length === 0) return `票据上没有识别出日期，申请填写的就诊日期为 ${visit}`;
      const [first, last] = [dates[0]!, dates[dates.length - 1]!];
      if (span[0] < first || span[1] > last)
        return `就诊日期 ${visit} 不在票据日期 ${first === last ? first : `${first} 至 ${last}`} 之内`;
      // A receipt all of whose dates are before the visit is of another visit (a walk: an outpatient receipt of 11-10
      // filed with a stay from 11-13 passed). One issued after it is not: a stay is often paid days after discharge.
      const before = facts.receipts.flatMap((receipt) => {
        const own = [receipt.issueDate, receipt.admissionDate, receipt.dischargeDate].filter((date): date is string =>
          Boolean(date),
        );
        return own.length > 0 && own.every((date) => date < span[0]) ? [own.sort()[own.length - 1]!] : [];
      });
      return before.length > 0 ? `${before.length} 张票据开于就诊日期 ${visit} 之前（${before.join('、')}）` : null;
    },
  },
  {
    id: 'withinDeadline',
    label: '在申报期限内',
    problem: (facts) => (facts.filingExpired ? '已超过申报期限' : null),
  },
  {
    id: 'totalsMatch',
    label: '费用明细合计等于票据金额',
    problem: (facts) => {
      const missing = facts.receipts.filter((receipt) => receipt.totalFen === undefined).length;
      if (missing > 0)
        return `${missing} 张票据没有识别出合计金额，费用明细合计 ${formatFen(facts.lineItemsTotalFen)} 元`;
      const receipts = facts.receipts.reduce((sum, receipt) => sum + (receipt.totalFen ?? 0), 0);
      return receipts === facts.lineItemsTotalFen
        ? null
        : `费用明细合计 ${formatFen(facts.lineItemsTotalFen)} 元，票据合计 ${formatFen(receipts)} 元`;
    },
  },
  {
    // 手工报销 is for bills paid in full: a receipt whose 医保统筹支付 is above 0 was settled in part at the counter, and
    // claiming its whole total pays that part twice (a test of unseen layouts: 统筹 85,000 元 of a 133,456.78 receipt).
    id: 'notSettledByFund',
    label: '票据未经医保结算',
    problem: (facts) => {
      const settled = facts.receipts.filter((receipt) => (receipt.fundPaidFen ?? 0) > 0);
      if (settled.length === 0) return null;
      const paid = settled.reduce((sum, receipt) => sum + (receipt.fundPaidFen ?? 0), 0);
      return `${settled.length} 张票据显示医保统筹基金已支付 ${formatFen(paid)} 元：已结算的部分不能再报销，请核对`;
    },
  },
];

function outcomeOf(rule: Rule, facts: PrecheckFacts): PrecheckOutcome {
  const problem = rule.problem(facts);
  return problem === null
    ? { id: rule.id, label: rule.label, passed: true }
    : { id: rule.id, label: rule.label, passed: false, detail: problem };
}

export function precheck(facts: PrecheckFacts): PrecheckResult {
  const outcomes = precheckRules.map((rule) => outcomeOf(rule, facts));
  return { clean: outcomes.every((outcome) => outcome.passed), outcomes };
}

/** `previous` with the rules `ids` judged again on `facts` (e.g. the totals after a line correction); the rest kept. */
export function rerun(previous: PrecheckResult, facts: PrecheckFacts, ids: readonly PrecheckId[]): PrecheckResult {
  const outcomes = precheckRules.map((rule) =>
    ids.includes(rule.id)
      ? outcomeOf(rule, facts)
      : (previous.outcomes.find((outcome) => outcome.id === rule.id) ?? outcomeOf(rule, facts)),
  );
  return { clean: outcomes.every((outcome) => outcome.passed), outcomes };
}
