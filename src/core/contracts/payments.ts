/**
 * The `payments` function's wire shapes (代发批次), shared by the handler (server/handlers/payments.ts)
 * and the app's service (src/services/payments.ts).
 */
import type { Fen } from '../money';

/** One claim in a payment batch: payee, masked account and the amount the fund pays. */
export interface PaymentLine {
  claimId: string;
  claimNumber: string;
  payeeName: string;
  bankName: string;
  accountMasked: string;
  amountFen: Fen;
}

/** 复核通过 and not yet in a batch: what a new batch can take. */
export type PaymentCandidate = PaymentLine & { version: number };

/** Claims one payment batch takes at most. */
export const MAX_PAYMENT_BATCH = 50;

/**
 * The claims waiting for a batch, the longest waiting first: at most one batch of them (so that 全选 makes a batch
 * the bank file can carry), and how many wait in all.
 */
export interface PaymentCandidates {
  items: PaymentCandidate[];
  total: number;
  /**
   * 复核通过 claims settled at 0 元 (nothing to transfer, never in a batch), the longest waiting first, at most
   * MAX_PAYMENT_BATCH: 复核 closes such claims itself, so these were 复核-passed before it did (an installation that
   * upgraded) or their close did not happen. Each is closed on its page (办结（无需支付）).
   */
  nothingToPay: Array<{ claimId: string; claimNumber: string; title: string }>;
}

export type PaymentBatchStatus = 'open' | 'paid';

export const paymentBatchStatusLabel: Record<PaymentBatchStatus, string> = { open: '待支付', paid: '已支付' };

/** A batch as stored (the server's document adds its number as `_id`). */
export interface PaymentBatchFields {
  status: PaymentBatchStatus;
  lines: PaymentLine[];
  count: number;
  totalFen: Fen;
  createdBy: string;
  createdAt: string;
  exportedAt: string | null;
  paidBy: string | null;
  paidAt: string | null;
  version: number;
}

export interface PaymentBatchView extends PaymentBatchFields {
  /** The batch number, e.g. PB20260302-101530-3F. */
  batchNo: string;
  /** The caller generated it: its 确认已支付 is another staff member's (two people release money, as the bank's 制单 and 复核). */
  createdByYou: boolean;
}

/** A batch as the list shows it: everything but its lines (up to 50 each, read with `get` or the bank file). */
export type PaymentBatchSummary = Omit<PaymentBatchView, 'lines'>;

/** Batches newest first, a page at a time; `next`: what to pass as `before` for the page after (null: no more). */
export interface PaymentBatchPage {
  items: PaymentBatchSummary[];
  next: string | null;
}

export type PaymentFileFormat = 'xlsx' | 'csv';

/** A file the server made (bank file, dashboard CSV): its name, type and bytes in base64. */
export interface DownloadedFile {
  fileName: string;
  contentType: string;
  base64: string;
}

export interface PaymentFile extends DownloadedFile {
  count: number;
  totalFen: Fen;
  /** A paid batch's file: a record, accounts masked — never a second transfer file for the bank. */
  recordOnly: boolean;
}
