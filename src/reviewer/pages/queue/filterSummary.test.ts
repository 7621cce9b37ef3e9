import { filterSummaryOf, isFiltered } from './filterSummary';

const defaults = { statusLabel: '全部在办', regionLabel: '全部地区' };

describe('the folded queue filters, said in one line', () => {
  it('names the status, the region and 只看已超期 on the whole queue', () => {
    const choice = { tab: 'all' as const, statusLabel: '待初审', regionLabel: '大连市', overdue: true };
    expect(filterSummaryOf(choice)).toBe('状态：待初审 · 统筹区：大连市 · 只看已超期');
    expect(isFiltered(choice, defaults)).toBe(true);
  });

  it('says the starting filters too, and that nothing is filtered', () => {
    const choice = { tab: 'all' as const, statusLabel: '全部在办', regionLabel: '全部地区', overdue: false };
    expect(filterSummaryOf(choice)).toBe('状态：全部在办 · 统筹区：全部地区');
    expect(isFiltered(choice, defaults)).toBe(false);
  });

  it('on 可快速办理 names only the region: that view has no status or 时限 filter', () => {
    const choice = { tab: 'clean' as const, statusLabel: '待复核', regionLabel: '全部地区', overdue: true };
    expect(filterSummaryOf(choice)).toBe('统筹区：全部地区');
    expect(isFiltered(choice, defaults)).toBe(false);
    expect(isFiltered({ ...choice, regionLabel: '北京市' }, defaults)).toBe(true);
  });
});
