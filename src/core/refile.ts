/**
 * What a claimant can do after 退回 (不予受理): a new claim made from the returned one cures some reasons (materials not
 * handed in, materials not as they were, a reason in free text) and not others — a refiled claim after 超过申报时限, a
 * duplicate, a bill settled at the hospital or paid by a third party, care outside the fund, or days without cover is
 * refused again unless what was filled in was wrong (a walk: a 超过申报时限 退回 offered 重新提交一份 as the way on).
 * For those the way on is a question to the agency; making a new claim stays possible, for a mistake in the form.
 */
import type { RejectReason } from './workflow';

export interface RefileAdvice {
  /** A new claim, corrected as the reason says, can be accepted. */
  curable: boolean;
  /** What to do, as one or two sentences. */
  advice: string;
  /** The button that makes the new claim. */
  refileLabel: string;
}

const CURABLE_REFILE = '重新提交一份';
const MISTAKE_REFILE = '填写有误，改正后重新提交';

const ASK_THE_AGENCY = '如对退回有疑问，请拨打医保服务热线 12393，或联系参保地医保经办机构。';

const incurable: Readonly<Partial<Record<RejectReason, string>>> = {
  pastDeadline: '这笔费用已过申报期限，重新提交也会超过期限。只有就诊或出院日期填错了，才需要改正后重新提交。',
  duplicate: '这笔费用已经报销过，不能再次报销。只有票据或日期填错了，才需要改正后重新提交。',
  settledAtHospital: '这笔费用已在医院直接结算过，不能再次报销。只有票据填错了，才需要改正后重新提交。',
  compensatedByThirdParty: '这笔费用已由第三方赔付，医保不再支付已赔付的部分。',
  notCovered: '这些费用不属于医保支付范围，重新提交也不能报销。',
  notInsured: '就诊期间未参保或医保待遇暂停，重新提交也不能报销。只有参保人或险种选错了，才需要改正后重新提交。',
};

/** Advice for a 退回 with this reason code (the 退回's `reasonCode`; absent for an old record: treated as curable). */
export function refileAdvice(reasonCode: string | undefined): RefileAdvice {
  const sentence = reasonCode ? (incurable as Record<string, string | undefined>)[reasonCode] : undefined;
  if (sentence) return { curable: false, advice: `${sentence}${ASK_THE_AGENCY}`, refileLabel: MISTAKE_REFILE };
  return {
    curable: true,
    advice: '补正后还要报销？用这份申请填过的内容和照片新建一份，按退回原因改好后再提交。',
    refileLabel: CURABLE_REFILE,
  };
}
