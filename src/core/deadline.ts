/**
 * Filing deadline (申报时限) of a claim: `filingStatus(policy, visit, now)`.
 *
 * Business dates are Asia/Shanghai: UTC+8 all year (China has no daylight saving time). "Today" is
 * computed from the instant by adding the offset to the epoch milliseconds — never from the machine's
 * time zone, which is UTC in the cloud and anything on a laptop. The deadline day itself still counts:
 * a claim filed on the deadline is on time (daysLeft 0, status dueSoon).
 */
import { dateOfService, type Visit } from './engine/claim';
import { addDays, dateFromDayNumber, dayNumber, daysInMonth, yearOf } from './policy/dates';
import type { PolicyDocument } from './policy/schema';

export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type FilingStatus = 'ok' | 'dueSoon' | 'expired';

export interface FilingDeadline {
  status: FilingStatus;
  /** Days from today (Shanghai) to the deadline day; negative once expired. */
  daysLeft: number;
  /** Last day to file, 'YYYY-MM-DD' (Shanghai). */
  deadline: string;
  /** The date the deadline counts from: discharge for a stay, otherwise the visit. */
  countedFrom: string;
}

/** The calendar date in Asia/Shanghai at an instant. */
export function shanghaiDate(now: Date): string {
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('shanghaiDate: invalid Date');
  return dateFromDayNumber(Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS));
}

export function filingDeadline(
  policy: Pick<PolicyDocument, 'filingDeadline'>,
  visit: Pick<Visit, 'dischargeDate' | 'visitDate' | 'admissionDate'>,
): string {
  const from = dateOfService(visit);
  const rule = policy.filingDeadline;
  if (rule.kind === 'daysAfter') return addDays(from, rule.days);
  const year = yearOf(from) + 1;
  const day = Math.min(rule.day, daysInMonth(year, rule.month));
  return `${year}-${String(rule.month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function filingStatus(
  policy: Pick<PolicyDocument, 'filingDeadline'>,
  visit: Pick<Visit, 'dischargeDate' | 'visitDate' | 'admissionDate'>,
  now: Date,
): FilingDeadline {
  const deadline = filingDeadline(policy, visit);
  const daysLeft = dayNumber(deadline) - dayNumber(shanghaiDate(now));
  const status: FilingStatus =
    daysLeft < 0 ? 'expired' : daysLeft <= policy.filingDeadline.dueSoonDays ? 'dueSoon' : 'ok';
  return { status, daysLeft, deadline, countedFrom: dateOfService(visit) };
}
