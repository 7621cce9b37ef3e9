import { filingDeadline, filingStatus, shanghaiDate } from './deadline';
import { samplePolicyById } from './policy';

const dalian = samplePolicyById('dalian-resident-2025')!; // 180 days after discharge, due soon within 15 days
const beijing = samplePolicyById('beijing-employee-2025')!; // by 20 January of the next year, due soon within 30 days

describe('filing deadline', () => {
  it('counts days after discharge for a stay, after the visit otherwise', () => {
    expect(filingDeadline(dalian, { admissionDate: '2025-03-01', dischargeDate: '2025-03-10' })).toBe('2025-09-06');
    expect(filingDeadline(dalian, { visitDate: '2025-12-31' })).toBe('2026-06-29');
  });

  it('uses a fixed day of the next year', () => {
    expect(filingDeadline(beijing, { visitDate: '2025-01-01' })).toBe('2026-01-20');
    expect(filingDeadline(beijing, { visitDate: '2025-12-31' })).toBe('2026-01-20');
    expect(
      filingDeadline(
        { filingDeadline: { kind: 'nextYearDate', month: 2, day: 29, dueSoonDays: 5 } },
        { visitDate: '2026-05-01' },
      ),
    ).toBe('2027-02-28');
    expect(
      filingDeadline(
        { filingDeadline: { kind: 'nextYearDate', month: 2, day: 29, dueSoonDays: 5 } },
        { visitDate: '2027-05-01' },
      ),
    ).toBe('2028-02-29');
  });

  it('computes today in Asia/Shanghai, not in the machine zone (just before / after midnight)', () => {
    expect(shanghaiDate(new Date('2025-09-06T15:59:59.999Z'))).toBe('2025-09-06');
    expect(shanghaiDate(new Date('2025-09-06T16:00:00.000Z'))).toBe('2025-09-07');
    const visit = { admissionDate: '2025-03-01', dischargeDate: '2025-03-10' };
    // 23:59:59 on the deadline day in Shanghai: still on time.
    expect(filingStatus(dalian, visit, new Date('2025-09-06T15:59:59Z'))).toEqual({
      status: 'dueSoon',
      daysLeft: 0,
      deadline: '2025-09-06',
      countedFrom: '2025-03-10',
    });
    // 00:30 the next day in Shanghai, though still 6 September in UTC: expired.
    expect(filingStatus(dalian, visit, new Date('2025-09-06T16:30:00Z'))).toMatchObject({
      status: 'expired',
      daysLeft: -1,
    });
  });

  it('ok while far from the deadline, due soon within the policy window', () => {
    const visit = { visitDate: '2025-06-01' };
    expect(filingStatus(beijing, visit, new Date('2025-12-20T00:00:00Z'))).toMatchObject({
      status: 'ok',
      daysLeft: 31,
    });
    expect(filingStatus(beijing, visit, new Date('2025-12-21T00:00:00Z'))).toMatchObject({
      status: 'dueSoon',
      daysLeft: 30,
    });
    expect(filingStatus(beijing, visit, new Date('2026-01-21T00:00:00Z'))).toMatchObject({
      status: 'expired',
      daysLeft: -1,
    });
  });

  it('refuses an invalid Date', () => {
    expect(() => shanghaiDate(new Date('nope'))).toThrow(RangeError);
  });
});
