import fc from 'fast-check';
import { dashboardCsv, dashboardFigures, isoWeek, median, type DashboardClaim } from './dashboard';

const NOW = new Date('2026-03-20T04:00:00Z'); // Friday 20 March 2026, Shanghai noon

/** A seeded set with answers worked out by hand. */
const claims: DashboardClaim[] = [
  // paid in 3, 12 and 25 working days (limit 20): median 12, 2 of 3 within the limit
  {
    status: 'paid',
    submittedAt: '2026-02-02T02:00:00Z',
    paidAt: '2026-02-05T02:00:00Z',
    paidFen: 100_000,
    overdue: false,
    workingDays: 3,
    workingDaysLimit: 20,
    prechecked: true,
    clean: true,
  },
  {
    status: 'paid',
    submittedAt: '2026-02-09T02:00:00Z',
    paidAt: '2026-03-02T02:00:00Z',
    paidFen: 250_050,
    overdue: false,
    workingDays: 12,
    workingDaysLimit: 20,
    prechecked: true,
    clean: false,
  },
  {
    status: 'paid',
    submittedAt: '2026-02-10T02:00:00Z',
    paidAt: '2026-03-17T02:00:00Z',
    paidFen: 1,
    overdue: false,
    workingDays: 25,
    workingDaysLimit: 20,
    prechecked: false,
    clean: false,
  },
  { status: 'submitted', submittedAt: '2026-03-16T02:00:00Z', overdue: false, prechecked: true, clean: true },
  { status: 'reviewPassed', submittedAt: '2026-02-01T02:00:00Z', overdue: true, prechecked: true, clean: true },
];

describe('dashboard figures', () => {
  it('ISO weeks and the median as written down', () => {
    expect(isoWeek('2026-03-20')).toBe('2026-W12');
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(median([])).toBeNull();
    expect(median([25, 3, 12])).toBe(12);
    expect(median([3, 4])).toBe(4); // 3.5 rounded half up
  });

  it('match the hand-worked answers of a seeded set', () => {
    const figures = dashboardFigures(claims, NOW);
    expect(figures.asOf).toBe('2026-03-20');
    expect(figures.byStatus.find((row) => row.status === 'paid')?.count).toBe(3);
    expect(figures.byStatus.find((row) => row.status === 'submitted')?.count).toBe(1);
    expect(figures.byStatus.some((row) => row.status === 'draft')).toBe(false);
    expect(figures.processing).toEqual({
      paidCount: 3,
      medianWorkingDays: 12,
      limitWorkingDays: 20,
      withinLimitBp: 6667,
    });
    expect(figures.overdue).toBe(1);
    expect(figures.cleanBp).toBe(7500); // 3 of the 4 pre-checked
    expect(figures.weekly).toHaveLength(12);
    expect(figures.weekly.at(-1)).toEqual({ week: '2026-W12', received: 1, paid: 1 });
    expect(figures.weekly.find((row) => row.week === '2026-W10')).toEqual({ week: '2026-W10', received: 0, paid: 1 });
    expect(figures.monthly.at(-1)).toEqual({ month: '2026-03', paidFen: 250_051, paidCount: 2 });
    expect(figures.monthly.at(-2)).toEqual({ month: '2026-02', paidFen: 100_000, paidCount: 1 });
    expect(figures.monthly[0]?.month).toBe('2025-04');
  });

  it('as CSV: every section, amounts in yuan without grouping', () => {
    const csv = dashboardCsv(dashboardFigures(claims, NOW));
    expect(csv.startsWith('\uFEFF统计日期,2026-03-20\r\n')).toBe(true);
    expect(csv).toContain('\r\n2026-03,2500.51,2\r\n');
    expect(csv).toContain('\r\n时限内办结占比,66.67%\r\n');
    expect(csv).toContain('\r\n预审全部通过占比,75.00%\r\n');
  });

  it('count each claim in the week and month of its Shanghai date, as counted one week and one month at a time', () => {
    const shanghai = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
    const instant = fc
      .integer({ min: NOW.getTime() - 400 * 86_400_000, max: NOW.getTime() })
      .map((ms) => new Date(ms).toISOString());
    const claim: fc.Arbitrary<DashboardClaim> = fc.record({
      status: fc.constantFrom('submitted' as const, 'paid' as const, 'rejected' as const),
      submittedAt: instant,
      paidAt: instant,
      paidFen: fc.integer({ min: 0, max: 10_000_000 }),
      overdue: fc.boolean(),
      prechecked: fc.boolean(),
      clean: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(claim, { maxLength: 60 }), (set) => {
        const figures = dashboardFigures(set, NOW);
        const paid = set.filter((entry) => entry.status === 'paid');
        for (const row of figures.weekly) {
          expect(row.received).toBe(set.filter((entry) => isoWeek(shanghai(entry.submittedAt)) === row.week).length);
          expect(row.paid).toBe(paid.filter((entry) => isoWeek(shanghai(entry.paidAt!)) === row.week).length);
        }
        for (const row of figures.monthly) {
          const inMonth = paid.filter((entry) => shanghai(entry.paidAt!).startsWith(row.month));
          expect(row.paidCount).toBe(inMonth.length);
          expect(row.paidFen).toBe(inMonth.reduce((sum, entry) => sum + (entry.paidFen ?? 0), 0));
        }
        for (const row of figures.byStatus)
          expect(row.count).toBe(set.filter((entry) => entry.status === row.status).length);
      }),
      { numRuns: 200 },
    );
  });
});
