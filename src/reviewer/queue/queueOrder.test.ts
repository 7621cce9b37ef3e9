import { nextInQueue, rememberQueue } from './queueOrder';

describe('下一份: the claim after this one in the list 待办 showed', () => {
  const list = [
    { id: 'a', title: '甲' },
    { id: 'b', title: '乙' },
    { id: 'c', title: '丙' },
  ];

  it('is the next row, none after the last, none for a claim the list did not show', () => {
    expect(nextInQueue('a', list)).toEqual({ id: 'b', title: '乙' });
    expect(nextInQueue('c', list)).toBeNull();
    expect(nextInQueue('z', list)).toBeNull();
  });

  it('follows what the queue remembered last, not an earlier list', () => {
    rememberQueue(list);
    expect(nextInQueue('b')).toEqual({ id: 'c', title: '丙' });
    rememberQueue([list[2]!, list[0]!]);
    expect(nextInQueue('c')).toEqual({ id: 'a', title: '甲' });
    expect(nextInQueue('b')).toBeNull();
  });

  it('keeps only the id, title and what it waits for of what it is given', () => {
    rememberQueue([
      { id: 'x', title: '某', amountFen: 100 } as { id: string; title: string },
      { id: 'y', title: '另' },
    ]);
    expect(nextInQueue('x')).toEqual({ id: 'y', title: '另' });
  });

  it("passes over the claims waiting for someone else: the claimant's 补件, another 复核人员", () => {
    const queue = [
      { id: 'a', title: '甲' },
      { id: 'b', title: '乙', waitingFor: '等待申请人补件' },
      {
        id: 'c',
        title: '丙',
        waitingFor: '您初审、审核、结算过这份申请或更正过它的费用明细，复核需由其他复核人员完成',
      },
      { id: 'd', title: '丁', waitingFor: null },
    ];
    expect(nextInQueue('a', queue)).toEqual({ id: 'd', title: '丁' });
    // Opened anyway (from its row), it still offers the next one that is the reviewer's.
    expect(nextInQueue('b', queue)).toEqual({ id: 'd', title: '丁' });
    expect(nextInQueue('d', queue)).toBeNull();
    rememberQueue(queue);
    expect(nextInQueue('a')).toEqual({ id: 'd', title: '丁' });
  });
});
