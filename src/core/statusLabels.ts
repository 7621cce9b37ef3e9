import type { ClaimStatus } from './contracts/claimDraft';

/** The Chinese name of each claim status, as claimants and reviewers read it. */
export const claimStatusLabel: Record<ClaimStatus, string> = {
  draft: '草稿',
  submitted: '已提交，待初审',
  preliminaryPassed: '初审通过',
  reviewPassed: '审核通过',
  settled: '已结算，待复核',
  verified: '复核通过，待支付',
  paid: '已支付',
  supplementRequested: '待补件',
  rejected: '已退回',
  withdrawn: '已撤回',
};
