/**
 * The reviewer claim page's state: the claim as the server shows it to this reviewer, the last
 * refusal or result, and one way to run a server action (busy while it runs; on a refusal the banner
 * shows and the claim is re-read, since someone may have got there first).
 */
import { useDidShow, useLoad } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { LineItem } from '../../../core/engine';
import type { WorkflowAction } from '../../../core/workflow';
import type { CloudError } from '../../../services/cloud';
import { claimSeen, reviewApi, type ReviewClaimDetail } from '../../../services/review';
import { claimPageFailureOf, failureOf, unnamedClaim } from '../../components/Failure';

const doneText: Partial<Record<WorkflowAction, string>> = {
  passPreliminary: '已初审通过',
  passReview: '已审核通过',
  requestSupplement: '已要求补件，申请人会收到通知',
  reject: '已退回',
  receiveOriginals: '已登记纸质原件',
  settle: '已结算，等待复核',
  verify: '已复核通过',
  returnFromVerification: '已退回重新结算',
  markPaid: '已确认支付',
  closeWithoutPayment: '已办结（本次医保支付 0 元）',
};

export interface ReviewClaim {
  detail: ReviewClaimDetail | null;
  failure: CloudError | null;
  notice: string;
  busy: boolean;
  /** Shows a refusal found before anything went to the server (a missing reason, say). */
  fail: (failure: CloudError | null) => void;
  /** Runs one workflow action; true when the server took it. */
  run: (action: WorkflowAction, perform: () => Promise<unknown>) => Promise<boolean>;
  /**
   * 修改费用明细: saves the corrected lines with the reason; null when saved (the claim is re-estimated and re-read), else
   * the refusal (the claim is re-read too), for the editor to say beside its button.
   */
  saveLineItems: (lineItems: LineItem[], reason: string) => Promise<CloudError | null>;
  /** 识别票据: has a receipt photo nobody read read (a few seconds); the claim is re-read with its reading and 预审. */
  readReceipt: (fileID: string) => Promise<CloudError | null>;
}

export function useReviewClaim(): ReviewClaim {
  const [id, setId] = useState('');
  const [detail, setDetail] = useState<ReviewClaimDetail | null>(null);
  const [failure, setFailure] = useState<CloudError | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  async function reload(claimId = id): Promise<void> {
    if (!claimId) return setFailure(unnamedClaim());
    try {
      setDetail(await reviewApi.get(claimId));
    } catch (error) {
      setFailure(claimPageFailureOf(error));
    }
  }

  const loadedId = useRef('');
  const shownBefore = useRef(false);
  useLoad((params: Record<string, string | undefined>) => {
    const claimId = params.id ?? '';
    setId(claimId);
    loadedId.current = claimId;
    void reload(claimId);
  });
  // Back from 支付批次 (编入, 确认已支付 there) or another page: the claim as it is now, not as it was when opened.
  useDidShow(() => {
    if (shownBefore.current && loadedId.current) void reload(loadedId.current);
    shownBefore.current = true;
  });

  /** Runs `call`; null when the server took it, else its refusal (shown in the page's banner too). */
  async function perform<T>(
    call: () => Promise<T>,
    done: string | ((result: T) => string),
  ): Promise<CloudError | null> {
    setBusy(true);
    setFailure(null);
    setNotice('');
    try {
      const result = await call();
      setNotice(typeof done === 'string' ? done : done(result));
      await reload();
      return null;
    } catch (error) {
      const refused = failureOf(error);
      setFailure(refused);
      await reload();
      return refused;
    } finally {
      setBusy(false);
    }
  }

  return {
    detail,
    failure,
    notice,
    busy,
    fail: setFailure,
    run: async (action, call) => (await perform(call, doneText[action] ?? '已完成')) === null,
    saveLineItems: (lineItems, reason) => {
      if (!detail) return Promise.resolve(null);
      return perform(
        () => reviewApi.editLineItems(claimSeen(detail), lineItems, reason),
        detail.status === 'reviewPassed'
          ? '费用明细已修改，已按修改后的明细重新估算；申请已退回「初审通过」，请重新审核'
          : '费用明细已修改，已按修改后的明细重新估算',
      );
    },
    readReceipt: (fileID) => {
      if (!detail) return Promise.resolve(null);
      return perform(
        () => reviewApi.readReceipt(detail.id, fileID),
        (read) =>
          read.fieldsRead > 0
            ? '票据已识别，预审已按识别结果重新核对'
            : '这张照片没有认出文字：请对照照片核对票据，看不清的可要求补件重拍',
      );
    },
  };
}
