/**
 * What the claimant is told at a status change: the claim's facts handed to the core's
 * `statusCard` (card text, and the subscribe message cut to WeChat's field limits). Personal data
 * never appears: the bank account only by its last four digits.
 */
import { formatYuan } from '../../src/core/money';
import { withoutFinalStop } from '../../src/core/text';
import { materialDefinitions, type MaterialId } from '../../src/core/materials';
import { familyPayeeName, statusCard, type StatusFacts } from '../../src/core/notifications';
import type { ClaimStatus } from '../../src/core/contracts/claimDraft';
import type { CardText, OutboxClaim, OutboxEvent } from './outbox';

export interface NotifiableClaim extends OutboxClaim {
  title: string;
  amountFen: number;
  /** Final figure once settled. */
  paidFen?: number | null;
  estimate?: { totalPaid: number } | null;
  /** The figures after 审核's corrections (null: the lines as filed). */
  reviewEstimate?: { total: number; totalPaid: number } | null;
  dueDate?: string | null;
  form?: Record<string, unknown> | null;
  events: Array<OutboxEvent & { reason?: string | null; materials?: string[] }>;
}

/** What describeClaimEvent reads of a claim besides its id and events: the outbox drain reads only these. */
export const describedFields = [
  'title',
  'paidFen',
  'estimate.totalPaid',
  'reviewEstimate.total',
  'reviewEstimate.totalPaid',
  'dueDate',
  'form.payout.accountNumber',
  'form.payout.holderName',
  'form.insured.relation',
] as const;

function bankTail(claim: NotifiableClaim): string | undefined {
  const masked = (claim.form?.payout as { accountNumber?: unknown } | undefined)?.accountNumber;
  const digits = typeof masked === 'string' ? masked.replace(/\D/g, '') : '';
  return digits.length >= 4 ? digits.slice(-4) : undefined;
}

function shanghaiDay(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export function describeClaimEvent(
  claim: NotifiableClaim,
  event: OutboxEvent & {
    reason?: string | null;
    materials?: string[];
    retakePhotos?: string[];
    figures?: Record<string, number>;
  },
): CardText | null {
  if (event.action === 'receiveOriginals') {
    return { title: '纸质原件已收到', body: `经办机构已收到「${claim.title}」的纸质原件。` };
  }
  // The claimant's own step, the agency's internal batching, a reviewer having a receipt read: nothing to tell.
  if (event.action === 'recordOriginalsSent' || event.action === 'batchForPayment' || event.action === 'readReceipt')
    return null;
  if (event.action === 'answerSupplement') {
    // Back in the queue after 补件: not 报销申请已提交 a second time.
    return {
      title: '补充材料已提交',
      body: `「${claim.title}」的补充材料已提交，经办机构会继续审核。`,
    };
  }
  if (event.action === 'returnFromVerification') {
    // Back at 审核通过, but not as before: the card said 审核已通过，等待结算 again, word for word (a walk).
    return {
      title: '结算已退回，将重新结算',
      body: `「${claim.title}」的结算经复核退回，将重新结算，金额可能变化${event.reason ? `（原因：${withoutFinalStop(event.reason)}）` : ''}。结算后会再通知您。`,
    };
  }
  if (event.action === 'correctLineItems') {
    // The figures the correction left (the claim's as the card is written): the card said only 以审核结果为准, and
    // the list kept the filed estimate, 1,726.84 元 against 480.92 paid (a walk).
    const reviewed = claim.reviewEstimate;
    return {
      title: '费用明细已核对调整',
      body: `经办人员核对票据后调整了「${claim.title}」的费用明细${event.reason ? `（${withoutFinalStop(event.reason)}）` : ''}${
        reviewed
          ? `：调整后费用合计 ${formatYuan(reviewed.total)}，预计医保支付 ${formatYuan(reviewed.totalPaid)}，以审核结果为准。`
          : '，报销金额以审核结果为准。'
      }`,
    };
  }
  const tail = bankTail(claim);
  const payee = familyPayeeName(claim.form);
  const facts: StatusFacts = {
    claimId: claim._id,
    title: claim.title,
    at: new Date(event.at),
    ...(claim.estimate ? { estimateFen: claim.estimate.totalPaid } : {}),
    ...(claim.paidFen !== undefined && claim.paidFen !== null ? { fundPaysFen: claim.paidFen } : {}),
    // 审核通过's own figure (the event's): 结算 works out the payment later.
    ...(event.action === 'passReview' && event.figures?.totalPaid !== undefined
      ? { reviewedFen: event.figures.totalPaid }
      : {}),
    ...(event.reason ? { reason: event.reason } : {}),
    ...(event.materials
      ? { materials: event.materials.map((id) => materialDefinitions[id as MaterialId]?.label ?? id) }
      : {}),
    ...(event.retakePhotos && event.retakePhotos.length > 0 ? { retakeCount: event.retakePhotos.length } : {}),
    ...(tail ? { bankTail: tail } : {}),
    ...(payee ? { payeeName: payee } : {}),
    ...(claim.dueDate ? { dueDay: shanghaiDay(claim.dueDate) } : {}),
  };
  return statusCard(event.to as ClaimStatus, facts);
}
