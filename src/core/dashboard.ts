/**
 * The agency's dashboard: figures over the submitted claims, computed from facts the server
 * gathers (working days come from the server's calendar). Weeks are ISO weeks and months calendar
 * months, both on Shanghai dates; money in fen. The same figures as CSV for download.
 */
import type { ClaimStatus } from './contracts/claimDraft';
import { formatFen, type Fen } from './money';
import { claimStatusLabel } from './statusLabels';

export interface DashboardClaim {
  status: ClaimStatus;
  /** ISO instant of submission. */
  submittedAt: string;
  /** ISO instant of 确认已支付. */
  paidAt?: string;
  paidFen?: Fen;
  /** Open and past its due date now. */
  overdue: boolean;
  /** Paid: working days from submission to payment, and the policy's limit. */
  workingDays?: number;
  workingDaysLimit?: number;
  /** 预审 ran for it, and every check passed. */
  prechecked: boolean;
  clean: boolean;
}

export interface DashboardFigures {
  /** Shanghai date the figures are for. */
  asOf: string;
  byStatus: Array<{ status: ClaimStatus; label: string; count: number }>;
  /** Last 12 ISO weeks, oldest first: claims received and claims paid. */
  weekly: Array<{ week: string; received: number; paid: number }>;
  /** Last 12 months, oldest first: what the fund paid. */
  monthly: Array<{ month: string; paidFen: Fen; paidCount: number }>;
  processing: {
    paidCount: number;
    /** Median working days from submission to payment (null when nothing was paid). */
    medianWorkingDays: number | null;
    /** The most common limit among the paid claims' policies. */
    limitWorkingDays: number | null;
    /** Share of paid claims finished within their own policy's limit, in basis points (10000 = 100 %). */
    withinLimitBp: number | null;
  };
  overdue: number;
  /** Share of pre-checked claims that were clean, in basis points. */
  cleanBp: number | null;
}

const DAY = 86_400_000;
const shanghaiDate = (iso: string | Date): string =>
  new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** ISO week of a 'YYYY-MM-DD' date: '2026-W09'. */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = (day.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(day.getTime() + (3 - weekday) * DAY);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - yearStart) / (7 * DAY));
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Median of integers; the mean of the two middle values rounded half up for an even count. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.floor((sorted[middle - 1]! + sorted[middle]! + 1) / 2);
}

/** part / whole in basis points, rounded half up. */
const share = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.floor((part * 10_000 * 2 + whole) / (whole * 2));

function lastWeeks(asOf: string, count: number): string[] {
  const weeks: string[] = [];
  for (let back = count - 1; back >= 0; back -= 1)
    weeks.push(isoWeek(new Date(new Date(`${asOf}T00:00:00Z`).getTime() - back * 7 * DAY).toISOString().slice(0, 10)));
  return weeks;
}

function lastMonths(asOf: string, count: number): string[] {
  const [year, month] = asOf.split('-').map(Number) as [number, number];
  const months: string[] = [];
  for (let back = count - 1; back >= 0; back -= 1) {
    const index = year * 12 + (month - 1) - back;
    months.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

/** How many of `items` fall under each key (one pass). */
function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * What the figures are made of: counts per status, week and month, and the paid claims' processing times.
 * Gathered either from the claims in one pass (`dashboardGroupsOf`) or, in the same shape, by the store's
 * counting over each claim's stored facts (server/claims/dashboardFacts.ts) — one call per table, not a read of
 * every claim.
 */
export interface DashboardGroups {
  byStatus: ReadonlyMap<string, number>;
  /** Claims received per ISO week (Shanghai dates); weeks the figures do not show may be left out. */
  receivedByWeek: ReadonlyMap<string, number>;
  /** Paid claims per ISO week of payment. */
  paidByWeek: ReadonlyMap<string, number>;
  /** Paid claims per month of payment ('2026-03'): how many, and the fund's payments in fen. */
  paidByMonth: ReadonlyMap<string, { paidFen: Fen; paidCount: number }>;
  /**
   * The paid claims with a payment date, by the working days they took (null when not known) and their
   * policy's limit (null when the policy is not known).
   */
  paidTimes: ReadonlyArray<{ workingDays: number | null; limit: number | null; count: number }>;
  overdue: number;
  /** Claims 预审 ran for, and of those the clean ones. */
  prechecked: number;
  clean: number;
}

/** Shanghai ISO week of an instant: '2026-W09'. */
export const weekOfInstant = (iso: string): string => isoWeek(shanghaiDate(iso));

/** Shanghai month of an instant: '2026-03'. */
export const monthOfInstant = (iso: string): string => shanghaiDate(iso).slice(0, 7);

/**
 * The groups of the claims in one pass (a dashboard reads every claim ever submitted: 100,000 and more),
 * each instant's Shanghai date and ISO week worked out once per distinct date.
 */
export function dashboardGroupsOf(claims: readonly DashboardClaim[]): DashboardGroups {
  const weekOfDate = new Map<string, string>();
  const weekOf = (iso: string): string => {
    const date = shanghaiDate(iso);
    let week = weekOfDate.get(date);
    if (week === undefined) weekOfDate.set(date, (week = isoWeek(date)));
    return week;
  };
  const paid = claims.filter((claim) => claim.status === 'paid' && claim.paidAt);
  const paidByMonth = new Map<string, { paidFen: number; paidCount: number }>();
  for (const claim of paid) {
    const month = monthOfInstant(claim.paidAt!);
    const total = paidByMonth.get(month) ?? { paidFen: 0, paidCount: 0 };
    paidByMonth.set(month, { paidFen: total.paidFen + (claim.paidFen ?? 0), paidCount: total.paidCount + 1 });
  }
  const times = new Map<string, { workingDays: number | null; limit: number | null; count: number }>();
  for (const claim of paid) {
    const workingDays = claim.workingDays ?? null;
    const limit = claim.workingDaysLimit ?? null;
    const key = `${workingDays}/${limit}`;
    const entry = times.get(key) ?? { workingDays, limit, count: 0 };
    entry.count += 1;
    times.set(key, entry);
  }
  const prechecked = claims.filter((claim) => claim.prechecked);
  return {
    byStatus: countBy(claims, (claim) => claim.status),
    receivedByWeek: countBy(claims, (claim) => weekOf(claim.submittedAt)),
    paidByWeek: countBy(paid, (claim) => weekOf(claim.paidAt!)),
    paidByMonth,
    paidTimes: [...times.values()],
    overdue: claims.filter((claim) => claim.overdue).length,
    prechecked: prechecked.length,
    clean: prechecked.filter((claim) => claim.clean).length,
  };
}

/** The ISO weeks and months the figures show as of `now` (what a store's counting needs to ask for). */
export function dashboardPeriods(now: Date): { weeks: string[]; months: string[] } {
  const asOf = shanghaiDate(now);
  return { weeks: lastWeeks(asOf, 12), months: lastMonths(asOf, 12) };
}

/** The paid claims whose working days and limit are both known. */
const timedOf = (times: DashboardGroups['paidTimes']): Array<{ workingDays: number; limit: number; count: number }> =>
  times.filter(
    (entry): entry is { workingDays: number; limit: number; count: number } =>
      entry.workingDays !== null && entry.limit !== null,
  );

/** The figures from their groups. */
export function dashboardFiguresOf(groups: DashboardGroups, now: Date): DashboardFigures {
  const asOf = shanghaiDate(now);
  const { weeks, months } = dashboardPeriods(now);
  const statuses = Object.keys(claimStatusLabel).filter((status) => status !== 'draft') as ClaimStatus[];
  const limits = new Map<number, number>();
  for (const entry of groups.paidTimes)
    if (entry.limit !== null) limits.set(entry.limit, (limits.get(entry.limit) ?? 0) + entry.count);
  const commonLimit = [...limits.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? null;
  const timed = timedOf(groups.paidTimes);
  const timedCount = timed.reduce((total, entry) => total + entry.count, 0);
  const withinLimit = timed
    .filter((entry) => entry.workingDays <= entry.limit)
    .reduce((total, entry) => total + entry.count, 0);
  // Every working-day count as many times as claims took it (a histogram, not a list of claims, when counted by the store).
  const days = timed.flatMap((entry) => Array.from({ length: entry.count }, () => entry.workingDays));
  return {
    asOf,
    byStatus: statuses.map((status) => ({
      status,
      // A claim settled at 0 元 ends in the same status, closed without a transfer.
      label: status === 'paid' ? '已支付（含 0 元办结）' : claimStatusLabel[status],
      count: groups.byStatus.get(status) ?? 0,
    })),
    weekly: weeks.map((week) => ({
      week,
      received: groups.receivedByWeek.get(week) ?? 0,
      paid: groups.paidByWeek.get(week) ?? 0,
    })),
    monthly: months.map((month) => ({
      month,
      ...(groups.paidByMonth.get(month) ?? { paidFen: 0, paidCount: 0 }),
    })),
    processing: {
      paidCount: groups.paidTimes.reduce((total, entry) => total + entry.count, 0),
      medianWorkingDays: median(days),
      limitWorkingDays: commonLimit,
      withinLimitBp: share(withinLimit, timedCount),
    },
    overdue: groups.overdue,
    cleanBp: share(groups.clean, groups.prechecked),
  };
}

/** The figures over the claims, in one pass per table. */
export function dashboardFigures(claims: readonly DashboardClaim[], now: Date): DashboardFigures {
  return dashboardFiguresOf(dashboardGroupsOf(claims), now);
}

const percent = (bp: number | null): string =>
  bp === null ? '' : `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;

/** The figures as one CSV (UTF-8 with BOM, CRLF): a section per table. */
export function dashboardCsv(figures: DashboardFigures): string {
  const lines: string[] = [
    `统计日期,${figures.asOf}`,
    '',
    '状态,件数',
    ...figures.byStatus.map((row) => `${row.label},${row.count}`),
    '',
    '周,受理件数,办结件数',
    ...figures.weekly.map((row) => `${row.week},${row.received},${row.paid}`),
    '',
    '月份,基金支付（元）,办结件数',
    ...figures.monthly.map((row) => `${row.month},${formatFen(row.paidFen).replace(/,/g, '')},${row.paidCount}`),
    '',
  ];
  lines.push('指标,数值');
  lines.push(`已办结件数（含 0 元办结）,${figures.processing.paidCount}`);
  lines.push(`受理到办结中位工作日,${figures.processing.medianWorkingDays ?? ''}`);
  lines.push(`政策办结时限（工作日）,${figures.processing.limitWorkingDays ?? ''}`);
  lines.push(`时限内办结占比,${percent(figures.processing.withinLimitBp)}`);
  lines.push(`逾期件数,${figures.overdue}`);
  lines.push(`预审全部通过占比,${percent(figures.cleanBp)}`);
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
