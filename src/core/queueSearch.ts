/**
 * 查找申请 in the review queue: what a reviewer types — a 申请编号 a caller reads out (YB and 10 characters, on the
 * claimant's page and the 受理 card), the 邮寄编号 on an envelope (YB and 6), the 参保人's 身份证号 or name — read
 * into the one kind of search it is. Half-width, spaces ignored, letters upper case; a 身份证号 checked as the
 * form checks it (a typo is said, not searched for).
 */
import * as z from 'zod';
import { isPlausibleName, normaliseName, validateIdNumber } from './identity';
import { toHalfWidth } from './money';

export type QueueSearch =
  | { kind: 'claimNumber'; value: string }
  | { kind: 'mailCode'; value: string }
  | { kind: 'idNumber'; value: string }
  | { kind: 'name'; value: string };

/** 申请编号: YB and the last ten characters of the claim id (src/core/claimNumber.ts). */
export const CLAIM_NUMBER_PATTERN = /^YB[0-9A-Z]{10}$/;
/** 邮寄编号: YB and six characters without 0/O/1/I (server/repositories/claims.ts mailCodeOf). */
export const MAIL_CODE_PATTERN = /^YB[2-9A-HJ-NP-Z]{6}$/;
/** A claim id in full (32 hex): the 受理 cards sent before they carried the 申请编号 named the claim by it. */
const CLAIM_ID_PATTERN = /^[0-9A-F]{32}$/;

export const QUEUE_SEARCH_HINT = '请输入申请编号（YB 加 10 位）、邮寄编号（YB 加 6 位）、参保人姓名或 18 位身份证号';

export type QueueSearchResult = { ok: true; search: QueueSearch } | { ok: false; message: string };

export function readQueueSearch(raw: string): QueueSearchResult {
  const compact = toHalfWidth(raw).replace(/[\s-]/g, '').toUpperCase();
  if (compact === '') return { ok: false, message: QUEUE_SEARCH_HINT };
  if (CLAIM_ID_PATTERN.test(compact))
    return { ok: true, search: { kind: 'claimNumber', value: `YB${compact.slice(-10)}` } };
  // A 申请编号 read out without its YB (a desk walk typed 07A276553B and was told 身份证号应为 18 位); ten digits
  // alone stay a 身份证号 cut short, the likelier slip.
  if (/^[0-9A-F]{10}$/.test(compact) && /[A-F]/.test(compact))
    return { ok: true, search: { kind: 'claimNumber', value: `YB${compact}` } };
  // YB and letters alone, of neither length, is a Latin name (Ybarra), not a number cut short.
  if (/^YB[0-9A-Z]*$/.test(compact) && (/\d/.test(compact) || compact.length === 8 || compact.length === 12)) {
    if (CLAIM_NUMBER_PATTERN.test(compact)) return { ok: true, search: { kind: 'claimNumber', value: compact } };
    if (MAIL_CODE_PATTERN.test(compact)) return { ok: true, search: { kind: 'mailCode', value: compact } };
    return {
      ok: false,
      message: `「${compact}」不是完整的编号：申请编号是 YB 加 10 位，邮寄编号是 YB 加 6 位（没有 0、O、1、I），请核对`,
    };
  }
  if (/^\d/.test(compact)) {
    const id = validateIdNumber(compact);
    return id.ok ? { ok: true, search: { kind: 'idNumber', value: id.value } } : { ok: false, message: id.message };
  }
  // Spaces between 汉字 dropped (王 小明); a Latin name keeps its single spaces. No lookbehind: the mini-program's code is
  // ES5 and iOS's JavaScriptCore before 16.4 refuses the syntax, so the queue page did not load there (check:cloud).
  const name = normaliseName(toHalfWidth(raw)).replace(/([\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g, '$1');
  if (isPlausibleName(name)) return { ok: true, search: { kind: 'name', value: name } };
  return { ok: false, message: QUEUE_SEARCH_HINT };
}

/** The queue input's `search`: the text as typed, read into its kind (a Chinese sentence when it is none). */
export const queueSearchSchema = z
  .string({ error: QUEUE_SEARCH_HINT })
  .max(60, '查找的内容太长了，' + QUEUE_SEARCH_HINT)
  .transform((raw, context): QueueSearch => {
    const read = readQueueSearch(raw);
    if (read.ok) return read.search;
    context.addIssue({ code: 'custom', message: read.message });
    return z.NEVER;
  });

/** What the result list says it searched for. */
export const queueSearchLabel: Record<QueueSearch['kind'], string> = {
  claimNumber: '申请编号',
  mailCode: '邮寄编号',
  idNumber: '身份证号',
  name: '参保人姓名',
};
