import { filedBeside } from './filedBeside';

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
