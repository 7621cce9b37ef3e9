import { claimTitleOf } from './claim';
import { claimTitleSchema } from './claimDraft';

const kindName = (kind: string) => (kind === 'inpatient' ? '住院' : '门诊');

describe('claimTitleOf', () => {
  it('names the hospital and the visit kind', () => {
    expect(claimTitleOf({ hospital: { name: ' 北京协和医院 ' }, guide: { visitKind: 'inpatient' } }, kindName)).toBe(
      '北京协和医院 住院',
    );
    expect(claimTitleOf({}, kindName)).toBe('未填写医院');
  });

  it('names the family member a claim is for first (a walk: two 武汉市人民医院 普通门诊 cards, for two people, told apart by nothing)', () => {
    const form = { hospital: { name: '武汉市人民医院' }, guide: { visitKind: 'outpatient' } };
    expect(claimTitleOf({ ...form, insured: { relation: 'relative', name: ' 何涛 ' } }, kindName)).toBe(
      '何涛 · 武汉市人民医院 门诊',
    );
    // 本人's own claims as before; a relative not yet named, too.
    expect(claimTitleOf({ ...form, insured: { relation: 'self', name: '张三' } }, kindName)).toBe(
      '武汉市人民医院 门诊',
    );
    expect(claimTitleOf({ ...form, insured: { relation: 'relative', name: '' } }, kindName)).toBe(
      '武汉市人民医院 门诊',
    );
    const long = '中国人民解放军总医院第一医学中心（原解放军总医院）国际医学部特需门诊部第二分部';
    const title = claimTitleOf(
      {
        hospital: { name: long },
        guide: { visitKind: 'outpatient' },
        insured: { relation: 'relative', name: '欧阳娜娜' },
      },
      kindName,
    );
    expect(title).toHaveLength(40);
    expect(title.startsWith('欧阳娜娜 · 中国人民解放军')).toBe(true);
    expect(title.endsWith('… 门诊')).toBe(true);
    // A draft's name typed at its longest (50) still leaves a title 改标题 accepts.
    const named = claimTitleOf({ ...form, insured: { relation: 'relative', name: '阿'.repeat(50) } }, kindName);
    expect(claimTitleSchema.safeParse(named).success).toBe(true);
    expect(named.startsWith(`${'阿'.repeat(12)} · 武汉`)).toBe(true);
  });

  it('shortens a long hospital name with an ellipsis, keeps the visit kind, and stays within what 改标题 accepts (40)', () => {
    const long = '中国人民解放军总医院第一医学中心（原解放军总医院）国际医学部特需门诊部第二分部';
    const title = claimTitleOf({ hospital: { name: long }, guide: { visitKind: 'outpatient' } }, kindName);
    expect(title).toHaveLength(40);
    expect(title.endsWith('… 门诊')).toBe(true);
    expect(long.startsWith(title.slice(0, -4))).toBe(true);
    // A character outside the BMP (𠀀) is never split in half.
    const wide = '𠀀'.repeat(50);
    const titleWide = claimTitleOf({ hospital: { name: wide } }, kindName);
    expect(titleWide).toBe(`${'𠀀'.repeat(19)}…`);
    expect(claimTitleSchema.safeParse(titleWide).success).toBe(true);
    expect(claimTitleSchema.safeParse(title).success).toBe(true);
  });
});
