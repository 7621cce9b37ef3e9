import { claimBeside, filedBeside } from './filedBeside';

describe('the claim line beside an item read from a receipt', () => {
  const lines = [
    { name: '检查费', amountFen: 231_000 },
    { name: '检查费', amountFen: 18_800 },
    { name: '西药费', amountFen: 512_345 },
  ];

  it('says nothing when a line of that name carries the amount read, whichever receipt it came from', () => {
    expect(filedBeside(lines, '检查费', 18_800)).toBeNull();
    expect(filedBeside(lines, '检查费', 231_000)).toBeNull();
  });

  it('names the amounts filed under that name when none carries the amount read', () => {
    expect(filedBeside(lines, '西药费', 6_733)).toEqual([512_345]);
    expect(filedBeside(lines, '检查费', 20_000)).toEqual([231_000, 18_800]);
  });

  it('says nothing of a name no line has, or an amount not read', () => {
    expect(filedBeside(lines, '床位费', 1_000)).toBeNull();
    expect(filedBeside(lines, '西药费', null)).toBeNull();
  });
});

describe("the claim's own value beside a receipt field read otherwise", () => {
  const claim = {
    hospitalName: '上海市第六人民医院',
    admissionDate: '2026-11-28',
    dischargeDate: '2026-12-03',
    insuredName: '张三',
  };

  it('names what the claimant filed where the reading says otherwise (a walk: the 财务专用章 read into 收款单位)', () => {
    expect(claimBeside('hospital', '上海市第六人民医院财务专用章', claim)).toBe('申请填写 上海市第六人民医院');
    expect(claimBeside('dischargeDate', '2026-12-08', claim)).toBe('申请填写 2026-12-03');
    expect(claimBeside('payer', '胡秀英', claim)).toBe('参保人 张三');
  });

  it("says nothing where they agree (spaces aside), for fields the claim has no value of, or without the claim's", () => {
    expect(claimBeside('hospital', '上海市第六 人民医院', claim)).toBeNull();
    expect(claimBeside('admissionDate', '2026-11-28', claim)).toBeNull();
    expect(claimBeside('issueDate', '2026-12-08', claim)).toBeNull();
    expect(claimBeside('totalFigures', 12_345, claim)).toBeNull();
    expect(claimBeside('hospital', '某医院', {})).toBeNull();
  });
});
