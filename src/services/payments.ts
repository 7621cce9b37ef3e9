/**
 * 支付批次 (代发): the `payments` function, one typed call per action. Wire shapes in
 * src/core/contracts/payments.ts, shared with the handler.
 */
import type {
  PaymentBatchPage,
  PaymentBatchStatus,
  PaymentBatchView,
  PaymentCandidate,
  PaymentCandidates,
  PaymentFile,
  PaymentFileFormat,
} from '../core/contracts/payments';
import { call } from './cloud';

export type {
  PaymentBatchPage,
  PaymentBatchSummary,
  PaymentBatchView,
  PaymentCandidate,
  PaymentFile,
  PaymentFileFormat,
  PaymentLine,
} from '../core/contracts/payments';

export const paymentsApi = {
  candidates: () => call<PaymentCandidates>('payments', 'candidates', {}),
  createBatch: (claims: Array<Pick<PaymentCandidate, 'claimId' | 'version'>>) =>
    call<PaymentBatchView>('payments', 'createBatch', {
      claims: claims.map((claim) => ({ id: claim.claimId, expectedVersion: claim.version })),
    }),
  /** Batches newest first, a page at a time: `before` is the page before's `next`. */
  list: (status?: PaymentBatchStatus, before?: string) =>
    call<PaymentBatchPage>('payments', 'list', { ...(status ? { status } : {}), ...(before ? { before } : {}) }),
  get: (batchNo: string) => call<PaymentBatchView>('payments', 'get', { batchNo }),
  exportFile: (batchNo: string, format: PaymentFileFormat) =>
    call<PaymentFile>('payments', 'export', { batchNo, format }),
  markPaid: (batchNo: string) => call<PaymentBatchView>('payments', 'markPaid', { batchNo, expectedStatus: 'open' }),
};
