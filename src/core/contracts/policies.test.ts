import { policyValidityText } from './policies';

describe('policyValidityText (有效期 on the policy list and page)', () => {
  it('reads a version in force from a day, or between two', () => {
    expect(policyValidityText({ effectiveFrom: '2026-07-01', effectiveTo: null })).toBe('2026-07-01 起');
    expect(policyValidityText({ effectiveFrom: '2026-07-01', effectiveTo: '2027-06-30' })).toBe(
      '2026-07-01 至 2027-06-30',
    );
    expect(policyValidityText({ effectiveFrom: null, effectiveTo: null })).toBe('生效日期未填写');
  });

  it("names a draft's date written the wrong way instead of showing it as a day in force", () => {
    expect(policyValidityText({ effectiveFrom: '2026/7/1', effectiveTo: null })).toBe(
      '生效日期写法有误（2026/7/1），应写成 2026-07-01 这样',
    );
    expect(policyValidityText({ effectiveFrom: '2026-07-01', effectiveTo: '2027.6.30' })).toBe(
      '2026-07-01 起，截止日期写法有误（2027.6.30）',
    );
  });
});
