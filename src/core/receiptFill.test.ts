import { emptyDraft } from './claimFormDraft';
import { readOcrResult } from './receipt';
import {
  applyReceiptPatch,
  confirmRow,
  editProblem,
  editRow,
  emptyReview,
  formLinesChanged,
  fundPaidNotice,
  otherReceiptsInForm,
  receiptTotalsNotice,
  receiptCardOf,
  receiptLineKey,
  receiptLinesIn,
  receiptPatchOf,
  samePhotoOfReceipt,
  withoutReceiptLines,
  type ReceiptReadResult,
  type ReceiptReview,
} from './receiptFill';

const lines = (total: string, words: string, items: string[], extra: string[] = []) => [
  { text: '医疗门诊收费票据(电子)', confidence: 0.99 },
  { text: '票据代码:33060121 票据号码:0012345678 校验码:a1B2c3', confidence: 0.99 },
  { text: '交款人:王小明 开票日期:2024-03-05', confidence: 0.99 },
  { text: '收款单位:杭州市第一人民医院', confidence: 0.99 },
  { text: '项目名称 金额', confidence: 0.99 },
  ...items.map((text) => ({ text, confidence: 0.99 })),
  { text: `合计(大写)${words} (小写)${total}`, confidence: 0.99 },
  ...extra.map((text) => ({ text, confidence: 0.99 })),
];

function readingOf(
  ocr: Array<{ text: string; confidence: number }>,
  duplicates: ReceiptReadResult['duplicates'] = [],
): ReceiptReadResult {
  const { extracted, crossCheck } = readOcrResult(ocr);
  return {
    fileID: 'cloud://env/files/a.jpg',
    extracted,
    crossCheck,
    duplicates,
    timings: { qrMs: 1, ocrMs: 1500, totalMs: 1600 },
  };
}

const good = readingOf(lines('345.67', '叁佰肆拾伍元陆角柒分', ['西药费 300.00', '检查费 45.67']));
const misprinted = readingOf(lines('354.67', '叁佰肆拾伍元陆角柒分', ['西药费 300.00', '检查费 45.67']));
const row = (card: ReturnType<typeof receiptCardOf>, key: string) => card.rows.find((r) => r.key === key);

describe('receipt card', () => {
  it('shows every field read with its value; a corroborated receipt needs no confirmation but is still never applied without a tap', () => {
    const card = receiptCardOf(good, emptyReview());
    expect(card.rows.map((r) => [r.label, r.value])).toEqual([
      ['票据代码', '33060121'],
      ['票据号码', '0012345678'],
      ['校验码', 'a1B2c3'],
      ['开票日期', '2024-03-05'],
      ['收款单位', '杭州市第一人民医院'],
      ['交款人', '王小明'],
      ['合计（小写）', '345.67 元'],
      ['合计（大写）', '345.67 元'],
    ]);
    expect(card.items.map((item) => [item.name, item.amountFen])).toEqual([
      ['西药费', 30000],
      ['检查费', 4567],
    ]);
    expect(card.rows.every((r) => r.flag === null)).toBe(true);
    expect(card.pending).toEqual([]);
    expect(card.canApply).toBe(true);
    expect(card.checks[0]?.status).toBe('agree');
  });

  it('marks a 小写 that disagrees with the 大写 and keeps the form closed until both are confirmed or corrected', () => {
    let review: ReceiptReview = emptyReview();
    let card = receiptCardOf(misprinted, review);
    expect(row(card, 'totalFigures')?.flag).toBe('大写与小写金额不一致');
    expect(row(card, 'totalWords')?.flag).toBe('大写与小写金额不一致');
    expect(card.checks[0]).toMatchObject({ id: 'wordsVsFigures', status: 'disagree' });
    expect(card.checks[0]?.message).toContain('不一致，请按票据核对');
    expect(card.pending).toEqual(['合计（小写）', '合计（大写）', '收费项目']);
    expect(card.itemsFlag).toBe('收费项目之和与合计不一致');
    expect(receiptPatchOf(misprinted, review, false)).toBeNull();

    review = editRow(review, 'totalFigures', '345.67');
    card = receiptCardOf(misprinted, review);
    expect(row(card, 'totalFigures')).toMatchObject({ value: '345.67 元', edited: true });
    // The items agree with the corrected total: their flag goes away on its own.
    expect(card.itemsFlag).toBeNull();
    expect(card.pending).toEqual(['合计（大写）']);
    review = confirmRow(review, 'totalWords');
    expect(receiptCardOf(misprinted, review).canApply).toBe(true);
  });

  it('refuses an invalid correction (amount, date) and names it', () => {
    expect(editProblem('money', '12.345')).toBe('金额最多保留两位小数（到分）');
    expect(editProblem('date', '2024-02-30')).toMatch(/年-月-日/);
    expect(editProblem('date', '2024年3月5日')).toBeNull();
    expect(editProblem('text', ' ')).toBe('请填写');
    const review = editRow(confirmRow(emptyReview(), 'totalWords'), 'totalFigures', '12.345');
    const card = receiptCardOf(misprinted, review);
    expect(card.invalid).toEqual({ totalFigures: '金额最多保留两位小数（到分）' });
    expect(card.canApply).toBe(false);
  });

  it('marks the items when their sum disagrees with the total, and a missing date as something to fill', () => {
    const ocr = lines('345.67', '叁佰肆拾伍元陆角柒分', ['西药费 300.00', '检查费 40.67']).map((line) =>
      line.text.startsWith('交款人') ? { ...line, text: '交款人:王小明' } : line,
    );
    const reading = readingOf(ocr);
    const card = receiptCardOf(reading, emptyReview());
    expect(card.itemsFlag).toBe('收费项目之和与合计不一致');
    expect(row(card, 'issueDate')).toMatchObject({ value: '', flag: '没有识别到开票日期，请填写' });
    expect(card.pending).toEqual(['开票日期', '收费项目']);
    const review = confirmRow(
      editRow(editRow(emptyReview(), 'items.1.amount', '45.67'), 'issueDate', '2024/3/5'),
      'items',
    );
    const patch = receiptPatchOf(reading, review, false);
    expect(patch).toMatchObject({
      visitDate: '2024-03-05',
      lineItems: [
        { name: '西药费', amountFen: 30000 },
        { name: '检查费', amountFen: 4567 },
      ],
    });
  });

  it('names the earlier claim of a duplicate and never offers to fill from it', () => {
    const dup = readingOf(lines('345.67', '叁佰肆拾伍元陆角柒分', ['西药费 300.00', '检查费 45.67']), [
      {
        key: 'k1',
        basis: 'code-number',
        claimId: 'c1',
        claimLabel: '您的申请「杭州市第一人民医院 2024-03-05」',
        mine: true,
      },
      { key: 'k2', basis: 'photo', claimId: 'c2', claimLabel: '他人的申请（编号 ****AB12）', mine: false },
    ]);
    const card = receiptCardOf(dup, emptyReview());
    expect(card.duplicates).toEqual([
      '这张票据已在您的申请「杭州市第一人民医院 2024-03-05」中提交过，不能重复报销',
      '同一张照片已在他人的申请（编号 ****AB12）中提交过，不能重复报销',
    ]);
    expect(card.canApply).toBe(false);
    expect(receiptPatchOf(dup, emptyReview(), false)).toBeNull();
  });

  it("a prescription or a 费用清单 photographed as a receipt is named for what it is and fills nothing (probe: a prescription's 0.25g went in as 0.25 元)", () => {
    const prescription = readingOf([
      { text: '成都市第一人民医院', confidence: 0.99 },
      { text: '处方笺', confidence: 0.99 },
      { text: '普通处方', confidence: 0.99 },
      { text: '费别:医保 门诊号:MZ5566778', confidence: 0.99 },
      { text: '姓名:赵敏 性别:女 年龄:45岁', confidence: 0.99 },
      { text: 'Rp.', confidence: 0.99 },
      { text: '阿莫西林胶囊0.25g×24粒×2盒', confidence: 0.99 },
    ]);
    expect(prescription.extracted.otherDocument).toBe('prescription');
    const card = receiptCardOf(prescription, emptyReview());
    expect(card.notReceipt).toBe(
      '这张是处方，不是收费票据：处方请放到「处方」材料里；这里请拍医院开的收费票据（有票据代码和票据号码）',
    );
    expect(card.canApply).toBe(false);
    expect(receiptPatchOf(prescription, emptyReview(), false)).toBeNull();
    const feeList = readingOf([
      { text: '四川大学华西医院住院费用清单', confidence: 0.99 },
      { text: '姓名:罗文博 住院号:ZY00992211 科室:呼吸内科', confidence: 0.99 },
      { text: '入院日期:2026-05-02 出院日期:2026-05-14', confidence: 0.99 },
      { text: '序号 项目名称 单位 数量 单价 金额', confidence: 0.99 },
      { text: '1 床位费 天 12 45.00 540.00', confidence: 0.99 },
      { text: '合计:6263.80', confidence: 0.99 },
    ]);
    expect(feeList.extracted.otherDocument).toBe('feeList');
    expect(receiptCardOf(feeList, emptyReview()).notReceipt).toContain('这张是费用清单');
    expect(feeList.crossCheck.checks).toContainEqual(expect.objectContaining({ id: 'document', status: 'disagree' }));
    // A receipt that names its 费用明细 or prints 处方 somewhere is a receipt: its 票据代码 and 号码 say so.
    const receipt = readingOf(
      lines('345.67', '叁佰肆拾伍元陆角柒分', ['西药费 300.00', '检查费 45.67'], ['附:费用清单 处方']),
    );
    expect(receipt.extracted.otherDocument).toBeUndefined();
    expect(receiptCardOf(receipt, emptyReview()).notReceipt).toBeNull();
    expect(good.crossCheck.checks.map((check) => check.id)).not.toContain('document');
  });

  it('a second photo of a receipt an earlier photo of the claim shows names that photo and never fills the form (a walk: its lines went in twice)', () => {
    const identity = { key: 'cn:33060121:0012345678', basis: 'code-number' as const };
    const first = { ...good, identity };
    const again = { ...good, fileID: 'cloud://env/files/b.jpg', identity };
    const unread = null;
    expect(samePhotoOfReceipt(again, [unread, first])).toBe(2);
    expect(samePhotoOfReceipt(first, [])).toBeNull();
    const card = receiptCardOf(again, emptyReview(), { samePhotoAs: 2 });
    expect(card.duplicates[0]).toContain('这张票据和第 2 张是同一张');
    expect(card.canApply).toBe(false);
    expect(receiptPatchOf(again, emptyReview(), false, { samePhotoAs: 2 })).toBeNull();
    // Alike only in hospital, day and total (two 挂号 of one day): two receipts, each filled in.
    const weak = { key: 'hdt:杭州市第一人民医院:2024-03-05:34567', basis: 'hospital-date-total' as const };
    expect(samePhotoOfReceipt({ ...again, identity: weak }, [{ ...first, identity: weak }])).toBeNull();
    // Readings kept before the identity was sent have none: nothing to compare.
    expect(samePhotoOfReceipt({ ...again, identity: undefined }, [first])).toBeNull();
  });

  it('a total the person types where none was read is checked against the items (a cut-off foot: 119.20 元 of items beside 123.45)', () => {
    const cut = readingOf(
      lines('', '', ['西药费 100.00', '检查费 19.20']).filter((line) => !line.text.startsWith('合计')),
    );
    let card = receiptCardOf(cut, emptyReview());
    expect(row(card, 'totalFigures')?.flag).toBeTruthy();
    expect(card.itemsFlag).toBeNull();
    let review = editRow(emptyReview(), 'totalFigures', '123.45');
    review = editRow(review, 'issueDate', '2024-03-05');
    card = receiptCardOf(cut, review);
    expect(card.itemsFlag).toBe('收费项目之和与合计不一致');
    expect(card.pending).toContain('收费项目');
    expect(receiptPatchOf(cut, review, false)).toBeNull();
    // Typed to agree with the items, nothing is left to check.
    card = receiptCardOf(cut, editRow(review, 'totalFigures', '119.20'));
    expect(card.itemsFlag).toBeNull();
    expect(receiptPatchOf(cut, editRow(review, 'totalFigures', '119.20'), false)?.lineItems).toHaveLength(2);
  });
});

describe('an item corrected by hand, and the form changed since', () => {
  it('checks a corrected item against the printed total (a walk: 5,123.45 typed as 5,123.54, 0.09 元 over, unmarked)', () => {
    const typo = editRow(emptyReview(), 'items.1.amount', '45.76');
    const card = receiptCardOf(good, typo);
    expect(card.itemsFlag).toBe('收费项目之和与合计不一致');
    expect(card.pending).toContain('收费项目');
    expect(receiptCardOf(good, editRow(emptyReview(), 'items.1.amount', '45.67')).itemsFlag).toBeNull();
  });

  it("says when the form's lines from a receipt are no longer what its card would fill", () => {
    const patch = receiptPatchOf(good, emptyReview(), false)!;
    const filled = applyReceiptPatch(emptyDraft('l', 's', 0), good.fileID, patch);
    expect(formLinesChanged(filled, good.fileID, patch)).toBe(false);
    const fixed = {
      ...filled,
      lineItems: filled.lineItems.map((line, index) => (index === 1 ? { ...line, yuan: '45.68' } : line)),
    };
    expect(formLinesChanged(fixed, good.fileID, patch)).toBe(true);
    expect(formLinesChanged(emptyDraft('l', 's', 0), good.fileID, patch)).toBe(false);
  });
});

describe('a photo too unclear to read', () => {
  it('says a photo with nothing of a receipt on it may be no receipt, and how to remove it where the card is', () => {
    // A walk: a plain picture was told 可以到「上传材料」删掉它 on 上传材料 itself, as if it were a blurred receipt.
    const card = receiptCardOf(readingOf([{ text: '风景', confidence: 0.9 }]), emptyReview());
    expect(card.unclear).toBe(
      '这张照片上没有认出收费票据的内容。如果它不是收费票据，请点照片上的「删除」去掉它；如果是，可能拍糊了、反光或太暗，请把票据放平、在光线充足的地方重拍一张。',
    );
  });

  it('says to take it again when two of total, date and hospital were not read at all; a clear receipt says nothing', () => {
    const blurred = readingOf([
      { text: '医疗门诊收费票据', confidence: 0.6 },
      { text: '西药费 300.00', confidence: 0.6 },
    ]);
    const card = receiptCardOf(blurred, emptyReview());
    expect(card.unclear).toContain('没能看清楚');
    expect(card.unclear).toContain('重拍');
    expect(receiptCardOf(good, emptyReview()).unclear).toBeNull();
    // Only the date missing (a faded stamp): not the photo's fault.
    const noDate = readingOf(
      lines('345.67', '叁佰肆拾伍元陆角柒分', ['西药费 300.00', '检查费 45.67']).map((line) =>
        line.text.startsWith('交款人') ? { ...line, text: '交款人:王小明' } : line,
      ),
    );
    expect(receiptCardOf(noDate, emptyReview()).unclear).toBeNull();
    // Items read, no total: the foot is cut off, not blurred.
    const cut = readingOf(
      lines('', '', ['西药费 100.00', '检查费 19.20']).filter((line) => !line.text.startsWith('合计')),
    );
    expect(receiptCardOf(cut, emptyReview()).unclear).toContain('下半部分没有拍进去');
    // Two receipts in one photo: one was read; each should be a photo of its own.
    expect(receiptCardOf({ ...good, sheets: 2 }, emptyReview()).unclear).toContain('好像有 2 张票据，只识别了其中一张');
  });
});

describe('a receipt settled in part at the counter', () => {
  it('shows 医保统筹支付 above 0 marked, to be confirmed before it fills anything; 0.00 is not shown', () => {
    const settled = readingOf(
      lines(
        '345.67',
        '叁佰肆拾伍元陆角柒分',
        ['西药费 300.00', '检查费 45.67'],
        ['医保统筹支付:200.00 个人现金支付:145.67'],
      ),
    );
    let card = receiptCardOf(settled, emptyReview());
    expect(row(card, 'fundPaid')).toMatchObject({ label: '医保统筹支付', value: '200.00 元' });
    expect(row(card, 'fundPaid')?.flag).toContain('已结算的部分不能再报销');
    expect(card.pending).toEqual(['医保统筹支付']);
    expect(receiptPatchOf(settled, emptyReview(), false)).toBeNull();
    card = receiptCardOf(settled, confirmRow(emptyReview(), 'fundPaid'));
    expect(card.canApply).toBe(true);
    const unsettled = readingOf(
      lines(
        '345.67',
        '叁佰肆拾伍元陆角柒分',
        ['西药费 300.00', '检查费 45.67'],
        ['医保统筹支付:0.00 个人现金支付:345.67'],
      ),
    );
    expect(row(receiptCardOf(unsettled, emptyReview()), 'fundPaid')).toBeUndefined();
    expect(receiptCardOf(unsettled, emptyReview()).canApply).toBe(true);
    expect(fundPaidNotice([settled, unsettled, good])).toBe(
      '有 1 张票据显示医保统筹基金已经支付了 200.00 元：这部分看病时已经用医保结算过，不能再报销。上面的预估按票据的全部费用计算，会比实际多，以经办机构审核为准。',
    );
    expect(fundPaidNotice([unsettled, good])).toBeNull();
  });
});

describe('filling the form', () => {
  it('outpatient: hospital, visit date and line items in fen (category 甲), replacing the empty line', () => {
    const patch = receiptPatchOf(good, emptyReview(), false)!;
    expect(patch).toMatchObject({
      hospitalName: '杭州市第一人民医院',
      visitDate: '2024-03-05',
      lineItems: [
        { name: '西药费', amountFen: 30000 },
        { name: '检查费', amountFen: 4567 },
      ],
    });
    expect(patch.summary).toBe('医院名称「杭州市第一人民医院」、就诊日期 2024-03-05、费用明细 2 项（合计 345.67 元）');
    const draft = emptyDraft('local', 'submit', 0);
    const filled = applyReceiptPatch(draft, good.fileID, patch);
    expect(filled.hospital.name).toBe('杭州市第一人民医院');
    expect(filled.visit.visitDate).toBe('2024-03-05');
    expect(filled.lineItems.map((line) => [line.name, line.yuan, line.category])).toEqual([
      ['西药费', '300.00', 'A'],
      ['检查费', '45.67', 'A'],
    ]);
  });

  it('a receipt of another hospital does not go into the form: it says so, and the form keeps its hospital and lines', () => {
    // A second receipt from another hospital replaced the form's hospital and merged its lines into the first visit's.
    const other = receiptPatchOf(good, emptyReview(), false, { formHospital: '南京市第一人民医院' })!;
    expect(other.conflict).toMatch(/^这张票据的医院「杭州市第一人民医院」与表单里的「南京市第一人民医院」不同。/);
    // The same hospital written otherwise, an empty form, or the form named by this very receipt: no conflict.
    for (const formHospital of ['杭州市第一人民医院（盖章）', '杭州市 第一人民医院', '第一人民医院', '', undefined])
      expect(receiptPatchOf(good, emptyReview(), false, { formHospital })!.conflict).toBeUndefined();
    expect(
      receiptPatchOf(good, emptyReview(), false, { formHospital: '南京市第一人民医院', appliedHere: true })!.conflict,
    ).toBeUndefined();
  });

  it('交款人 not the person the claim is for: said before submitting', () => {
    expect(
      receiptPatchOf(good, emptyReview(), false, { formName: { name: '李四', familyMember: true } })!.payerWarning,
    ).toBe(
      '票据交款人「王小明」与参保人「李四」不一致。报销的是参保人本人的费用，请确认这张票据是李四的；经办机构会核对。',
    );
    for (const name of ['王小明', ''])
      expect(
        receiptPatchOf(good, emptyReview(), false, { formName: { name, familyMember: false } })!.payerWarning,
      ).toBeUndefined();
  });

  it('交款人 fills an empty name only, and the summary says so before the tap; a name typed or a family member chosen is never replaced', () => {
    const draft = emptyDraft('local', 'submit', 0);
    const patch = receiptPatchOf(good, emptyReview(), false, { formName: { name: '', familyMember: false } })!;
    expect(patch.insuredName).toBe('王小明');
    expect(patch.summary).toBe(
      '姓名「王小明」、医院名称「杭州市第一人民医院」、就诊日期 2024-03-05、费用明细 2 项（合计 345.67 元）',
    );
    expect(applyReceiptPatch(draft, good.fileID, patch).insured.name).toBe('王小明');
    // Typed meanwhile (after the card was shown): kept.
    const typed = { ...draft, insured: { ...draft.insured, name: '王晓明' } };
    expect(applyReceiptPatch(typed, good.fileID, patch).insured.name).toBe('王晓明');
    const member = { ...draft, personId: 'person-1' };
    expect(applyReceiptPatch(member, good.fileID, patch).insured.name).toBe('');
    // Not offered: not in the patch, not in the summary.
    const without = receiptPatchOf(good, emptyReview(), false)!;
    expect(without.insuredName).toBeUndefined();
    expect(without.summary).not.toContain('姓名');
    for (const formName of [
      { name: '王晓明', familyMember: false },
      { name: '', familyMember: true },
    ]) {
      const kept = receiptPatchOf(good, emptyReview(), false, { formName })!;
      expect({ formName, insuredName: kept.insuredName }).toEqual({ formName, insuredName: undefined });
    }
  });

  it('once applied, the patch (and so the 已填入表单 line) still names the name it filled', () => {
    const draft = emptyDraft('local', 'submit', 0);
    const before = receiptPatchOf(good, emptyReview(), false, { formName: { name: '', familyMember: false } })!;
    const filled = applyReceiptPatch(draft, good.fileID, before);
    const after = receiptPatchOf(good, emptyReview(), false, {
      formName: { name: filled.insured.name, familyMember: false },
    })!;
    expect(after.summary).toBe(before.summary);
    expect(applyReceiptPatch(filled, good.fileID, after).insured.name).toBe('王小明');
  });

  it('applying the same receipt again replaces its lines, keeps the category the person chose and every other line', () => {
    const patch = receiptPatchOf(good, emptyReview(), false)!;
    let draft = emptyDraft('local', 'submit', 0);
    draft = { ...draft, lineItems: [{ key: 'typed', name: '挂号费', yuan: '5', category: 'A' }] };
    draft = applyReceiptPatch(draft, good.fileID, patch);
    draft = {
      ...draft,
      lineItems: draft.lineItems.map((line) =>
        line.key === receiptLineKey(good.fileID, 1) ? { ...line, category: 'B' } : line,
      ),
    };
    draft = applyReceiptPatch(draft, good.fileID, patch);
    expect(draft.lineItems.map((line) => [line.name, line.category])).toEqual([
      ['挂号费', 'A'],
      ['西药费', 'A'],
      ['检查费', 'B'],
    ]);
  });

  it('deleting a receipt photo takes the lines it put in out of the form, and only those', () => {
    const patch = receiptPatchOf(good, emptyReview(), false)!;
    let draft = emptyDraft('local', 'submit', 0);
    draft = { ...draft, lineItems: [{ key: 'typed', name: '挂号费', yuan: '5', category: 'A' }] };
    draft = applyReceiptPatch(draft, good.fileID, patch);
    expect(receiptLinesIn(draft, good.fileID).map((line) => line.name)).toEqual(['西药费', '检查费']);
    expect(receiptLinesIn(draft, 'cloud://env/files/other.jpg')).toEqual([]);
    expect(withoutReceiptLines(draft, good.fileID).lineItems.map((line) => line.name)).toEqual(['挂号费']);
    const alone = applyReceiptPatch(emptyDraft('local', 'submit', 0), good.fileID, patch);
    expect(withoutReceiptLines(alone, good.fileID).lineItems).toEqual([
      { key: 'local-1', name: '', yuan: '', category: 'A' },
    ]);
    expect(withoutReceiptLines(draft, 'cloud://env/files/other.jpg')).toBe(draft);
  });

  it('a stay takes admission and discharge dates (discharge from the issue date when not printed)', () => {
    const patch = receiptPatchOf(good, emptyReview(), true)!;
    expect(patch.visitDate).toBeUndefined();
    expect(patch.dischargeDate).toBe('2024-03-05');
    const filled = applyReceiptPatch(emptyDraft('l', 's', 0), good.fileID, patch);
    expect(filled.visit).toMatchObject({ dischargeDate: '2024-03-05', visitDate: '' });
  });

  it('a second receipt joins the visit the first filled: a stay widened, never a 出院 before 入院, a date that does not fit said', () => {
    // A walk: an outpatient receipt of 11-10 added to a stay of 11-13 to 11-17 made 出院 11-10, before 入院, unsaid.
    const stayForm = { visitDate: '', admissionDate: '2024-03-06', dischargeDate: '2024-03-10' };
    const joining = receiptPatchOf(good, emptyReview(), true, { formVisit: { ...stayForm, othersInForm: true } })!;
    expect([joining.admissionDate, joining.dischargeDate]).toEqual([undefined, undefined]);
    expect(joining.dateNote).toBe(
      '这张票据开于 2024-03-05，不在表单的住院期间（2024-03-06 至 2024-03-10）内，入院、出院日期没有改动：请核对它是否属于这次住院。',
    );
    expect(joining.summary).not.toContain('出院日期');
    // Inside the stay: nothing to change, nothing said.
    const inside = receiptPatchOf(good, emptyReview(), true, {
      formVisit: { visitDate: '', admissionDate: '2024-03-01', dischargeDate: '2024-03-10', othersInForm: true },
    })!;
    expect(inside.dischargeDate).toBeUndefined();
    expect(inside.dateNote).toBeUndefined();
    // A stay's own receipt after another: the stay widened to cover both, 入院 earliest and 出院 latest.
    const stayReceipt = readingOf(
      lines(
        '345.67',
        '叁佰肆拾伍元陆角柒分',
        ['西药费 300.00', '检查费 45.67'],
        ['入院日期:2024-03-02 出院日期:2024-03-08'],
      ),
    );
    const widened = receiptPatchOf(stayReceipt, emptyReview(), true, {
      formVisit: { ...stayForm, othersInForm: true },
    })!;
    expect(widened).toMatchObject({ admissionDate: '2024-03-02', dischargeDate: '2024-03-10' });
    // Alone in the form, its own dates — but never a 出院 before the 入院 the form keeps.
    const alone = receiptPatchOf(good, emptyReview(), true, { formVisit: { ...stayForm, othersInForm: false } })!;
    expect(alone.dischargeDate).toBeUndefined();
    expect(alone.dateNote).toContain('早于入院日期 2024-03-06');
    const draft = { ...emptyDraft('l', 's', 0), visit: stayForm };
    expect(applyReceiptPatch(draft, good.fileID, alone).visit).toEqual(stayForm);
    // An outpatient visit keeps the day the first receipt gave; another day is said.
    const outpatient = receiptPatchOf(good, emptyReview(), false, {
      formVisit: { visitDate: '2024-03-04', admissionDate: '', dischargeDate: '', othersInForm: true },
    })!;
    expect(outpatient.visitDate).toBeUndefined();
    expect(outpatient.dateNote).toContain('表单里的就诊日期是 2024-03-04');
    expect(
      receiptPatchOf(good, emptyReview(), false, {
        formVisit: { visitDate: '2024-03-04', admissionDate: '', dischargeDate: '', othersInForm: false },
      })!.visitDate,
    ).toBe('2024-03-05');
  });

  it("knows when another receipt's lines are in the form", () => {
    const draft = applyReceiptPatch(emptyDraft('l', 's', 0), good.fileID, receiptPatchOf(good, emptyReview(), false)!);
    expect(otherReceiptsInForm(draft, good.fileID)).toBe(false);
    expect(otherReceiptsInForm(draft, 'cloud://env/files/b.jpg')).toBe(true);
    expect(otherReceiptsInForm(emptyDraft('l', 's', 0), good.fileID)).toBe(false);
  });

  it('a receipt that prints 甲/乙/丙 (or 自付比例) fills each line with its category; the person can change it on the card', () => {
    const at = (text: string, y: number) => ({
      text,
      box: [80, y, 1430, 26] as [number, number, number, number],
      confidence: 0.99,
    });
    const reading = readingOf([
      at('医疗门诊收费票据(电子)', 40),
      at('票据代码:33060121 票据号码:0012345678 校验码:a1b2c3', 120),
      at('交款人:王小明 开票日期:2024-03-05', 160),
      at('收款单位:杭州市第一人民医院', 200),
      at('序号 项目名称 医保类别 数量 单价 金额', 250),
      at('1 床位费 甲 8 30.00 240.00', 294),
      at('2 头孢呋辛钠注射液 乙 3 25.55 76.65', 338),
      at('3 人血白蛋白 丙 1 29.02 29.02', 382),
      at('合计(大写)叁佰肆拾伍元陆角柒分 (小写)345.67', 440),
    ] as unknown as Array<{ text: string; confidence: number }>);
    let review = emptyReview();
    let card = receiptCardOf(reading, review);
    expect(card.items.map((item) => [item.name, item.category, item.categoryRow?.value, item.detail])).toEqual([
      ['床位费', 'A', '甲类', '8 × 30.00 元'],
      ['头孢呋辛钠注射液', 'B', '乙类', '3 × 25.55 元'],
      ['人血白蛋白', 'C', '丙类/自费', '1 × 29.02 元'],
    ]);
    expect(receiptPatchOf(reading, review, false)?.lineItems.map((line) => line.category)).toEqual(['A', 'B', 'C']);
    review = editRow(review, 'items.1.category', '甲');
    card = receiptCardOf(reading, review);
    expect(card.items[1]).toMatchObject({ category: 'A', categoryRow: { value: '甲类', edited: true } });
    expect(editProblem('category', '丁')).toBe('医保类别应为甲、乙或丙');
    const filled = applyReceiptPatch(emptyDraft('l', 's', 0), reading.fileID, receiptPatchOf(reading, review, false)!);
    expect(filled.lineItems.map((line) => [line.name, line.category])).toEqual([
      ['床位费', 'A'],
      ['头孢呋辛钠注射液', 'A'],
      ['人血白蛋白', 'C'],
    ]);
  });
});

describe('the lines against the receipts read', () => {
  const as = (reading: ReceiptReadResult, review = emptyReview()) => ({ reading, review });
  it("says when the lines' total differs from the receipts' totals, and by how much (a walk: 1,295.37 filed, 1,097.37 printed)", () => {
    expect(receiptTotalsNotice([as(good)], 1, 34_567)).toBeNull();
    expect(receiptTotalsNotice([as(good)], 1, 54_367)).toBe(
      '费用明细合计 543.67 元，票据上的合计是 345.67 元，相差 198.00 元：请对照票据核对每一项金额，改正后再提交。',
    );
    expect(receiptTotalsNotice([as(good), as(good)], 2, 69_134)).toBeNull();
  });

  it('counts a second photo of one receipt once and asks for it to be deleted (a walk: 1,260.98 元 read, 630.49 filed)', () => {
    const identified = { ...good, identity: { key: 'k1', basis: 'code-number' as const } };
    const twice = receiptTotalsNotice(
      [as(identified), as({ ...identified, fileID: 'cloud://env/files/b.jpg' })],
      2,
      34_567,
    );
    expect(twice).toBe(
      '第 2 张票据照片与第 1 张是同一张票据，费用只算一次：请到「上传材料」删掉第 2 张，否则提交时会被退回。',
    );
    // And the lines still checked against the receipt counted once.
    expect(
      receiptTotalsNotice([as(identified), as({ ...identified, fileID: 'cloud://env/files/b.jpg' })], 2, 34_600),
    ).toContain('第 2 张票据照片与第 1 张是同一张票据');
    expect(
      receiptTotalsNotice([as(identified), as({ ...identified, fileID: 'cloud://env/files/b.jpg' })], 2, 34_600),
    ).toContain('票据上的合计是 345.67 元，相差 0.33 元');
  });

  it('takes a total the person corrected on the card, and says nothing when a receipt is unread, without a total, or refused as a duplicate', () => {
    expect(
      receiptTotalsNotice([as(misprinted, { confirmed: [], edits: { totalFigures: '345.67' } })], 1, 34_567),
    ).toBeNull();
    expect(receiptTotalsNotice([as(good)], 2, 1)).toBeNull();
    expect(receiptTotalsNotice([as(readingOf([{ text: '医疗门诊收费票据', confidence: 0.99 }]))], 1, 1)).toBeNull();
    const duplicate = {
      ...good,
      duplicates: [{ key: 'k', basis: 'photo' as const, claimId: null, claimLabel: '他人的申请', mine: false }],
    };
    expect(receiptTotalsNotice([as(duplicate)], 1, 1)).toBeNull();
  });
});
