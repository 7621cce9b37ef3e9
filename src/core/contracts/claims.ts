/**
 * Inputs of the `claims` function's actions added for the claimant's life after filing (one contract
 * shared by the handler and the app's service): recording how the paper originals went.
 */
import * as z from 'zod';
import { originalsSentSchema } from '../workflow';
import { claimIdSchema } from './claimDraft';

/** 登记纸质原件寄出: 邮寄 with the tracking number, or 自送 with the day (the claim stays 待寄出原件 until then). */
export const recordOriginalsSentInputSchema = z.strictObject({ id: claimIdSchema, originalsSent: originalsSentSchema });
export type RecordOriginalsSentInput = z.input<typeof recordOriginalsSentInputSchema>;
