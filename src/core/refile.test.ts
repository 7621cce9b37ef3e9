import { refileAdvice } from './refile';
import { rejectReasons } from './workflow';

describe('refileAdvice', () => {
  it('offers a new claim as the way on where a corrected claim can be accepted', () => {
    for (const code of ['supplementNotProvided', 'materialsNotGenuine', 'other', undefined]) {
      const advice = refileAdvice(code);
      expect(advice.curable).toBe(true);
      expect(advice.refileLabel).toBe('重新提交一份');
      expect(advice.advice).toContain('按退回原因改好后再提交');
    }
  });

  it('sends the claimant to the agency where a new claim would be refused again', () => {
    const incurable = [
      'pastDeadline',
      'duplicate',
      'settledAtHospital',
      'compensatedByThirdParty',
      'notCovered',
      'notInsured',
    ];
    for (const code of incurable) {
      const advice = refileAdvice(code);
      expect(advice.curable).toBe(false);
      expect(advice.advice).toContain('12393');
      expect(advice.refileLabel).toBe('填写有误，改正后重新提交');
    }
    expect(refileAdvice('pastDeadline').advice).toBe(
      '这笔费用已过申报期限，重新提交也会超过期限。只有就诊或出院日期填错了，才需要改正后重新提交。' +
        '如对退回有疑问，请拨打医保服务热线 12393，或联系参保地医保经办机构。',
    );
  });

  it("has an answer for every reason on the reviewer's list", () => {
    // A reason added to the list later must be placed on one side or the other on purpose.
    const curable = new Set(['supplementNotProvided', 'materialsNotGenuine', 'other']);
    for (const code of Object.keys(rejectReasons)) expect(refileAdvice(code).curable).toBe(curable.has(code));
  });

  it('treats an unknown code (an older record) as curable', () => {
    expect(refileAdvice('retiredReason').curable).toBe(true);
  });
});
