/** What was read from a receipt photo, kept for the form (fill-in), the reviewer (values beside their regions) and duplicate checks. */
import type { ReceiptIdentity } from '../../src/core/receipt';
import type { ReadReceiptResult } from './readReceipt';

export interface ReceiptReadingDoc {
  _id: string; // storedKey(fileID)
  _openid: string;
  fileID: string;
  identity: ReceiptIdentity | null;
  reading: Omit<ReadReceiptResult, 'identity'>;
  readAt: string;
}
