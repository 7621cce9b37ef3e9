import { crossCheck } from './crossCheck';
import { extractReceipt } from './extract';
import { parseQrPayload } from './qr';
import type { OcrLine } from './schema';

const receipt = (total: string, words: string, items: string[], extra: string[] = []): OcrLine[] => [
  { text: '医疗门诊收费票据(电子)', confidence: 0.99 },
  { text: '票据代码:33060121 票据号码:0012345678 校验码:a1B2c3', confidence: 0.99 },
  { text: '开票日期:2024-03-05', confidence: 0.99 },
  { text: '收款单位:杭州市第一人民医院', confidence: 0.99 },
  { text: '项目名称 金额', confidence: 0.99 },
  ...items.map((text) => ({ text, confidence: 0.99 })),
  { text: `合计(大写)${words} (小写)${total}`, confidence: 0.99 },
  ...extra.map((text) => ({ text, confidence: 0.99 })),
];

const fields = (result: ReturnType<typeof crossCheck>): string[] => result.needsConfirmation.map((c) => c.field);
const status = (result: ReturnType<typeof crossCheck>, id: string): string | undefined =>
  result.checks.find((c) => c.id === id)?.status;

describe('crossCheck', () => {
  it('agrees when 大写, 小写 and the items tell the same total; nothing to confirm', () => {
    const result = crossCheck(
      extractReceipt(receipt('345.67', '叁佰肆拾伍元陆角柒分', ['西药费 300.00', '检查费 45.67'])),
    );
    expect(status(result, 'wordsVsFigures')).toBe('agree');
    expect(status(result, 'itemsVsTotal')).toBe('agree');
    expect(result.suggested.totalFen).toMatchObject({ value: 34567, from: ['ocr', 'words', 'items'] });
    expect(result.needsConfirmation).toEqual([]);
  });

  it('flags a 小写 that disagrees with the 大写', () => {
    const result = crossCheck(
      extractReceipt(receipt('354.67', '叁佰肆拾伍元陆角柒分', ['西药费 300.00', '检查费 45.67'])),
    );
    expect(status(result, 'wordsVsFigures')).toBe('disagree');
    expect(fields(result)).toEqual(expect.arrayContaining(['totalFigures', 'totalWords']));
    expect(result.checks.find((c) => c.id === 'wordsVsFigures')?.message).toContain('354.67');
  });

  it('flags items whose sum is not the total', () => {
    const result = crossCheck(
      extractReceipt(receipt('345.67', '叁佰肆拾伍元陆角柒分', ['西药费 300.00', '检查费 40.67'])),
    );
    expect(status(result, 'itemsVsTotal')).toBe('disagree');
    expect(fields(result)).toEqual(['items']);
  });

  it('flags a total that only one reading supports', () => {
    const lines = receipt('345.67', '', []).map((l) => ({ ...l, text: l.text.replace('合计(大写) ', '合计') }));
    const result = crossCheck(extractReceipt(lines));
    expect(result.suggested.totalFen?.value).toBe(34567);
    expect(fields(result)).toContain('totalFigures');
  });

  it('asks for the 小写 when only the 大写 was read, even when the items agree with it (the 小写 may be misprinted)', () => {
    const lines = receipt('', '叁佰肆拾伍元陆角柒分', ['西药费 300.00', '检查费 45.67']);
    const result = crossCheck(extractReceipt(lines));
    expect(result.suggested.totalFen?.value).toBe(34567);
    expect(fields(result)).toContain('totalFigures');
    expect(fields(result)).not.toContain('totalWords');
  });

  it('flags the 大写 itself when nothing else tells the total (no 小写, no items)', () => {
    const result = crossCheck(extractReceipt(receipt('', '壹仟陆佰伍拾玖元', [])));
    expect(result.suggested.totalFen?.value).toBe(165900);
    expect(fields(result)).toEqual(expect.arrayContaining(['totalFigures', 'totalWords']));
  });

  it('takes a QR that agrees as corroboration, and names a disagreeing QR date', () => {
    const qr = parseQrPayload(
      'https://x.gov.cn/v?billBatchCode=33060121&billNo=0012345678&random=a1B2c3&total=345.67&issueDate=20240306',
    );
    const result = crossCheck(extractReceipt(receipt('345.67', '', [])), qr);
    expect(status(result, 'qrAmount')).toBe('agree');
    expect(status(result, 'qrCode')).toBe('agree');
    expect(status(result, 'qrNumber')).toBe('agree');
    expect(status(result, 'qrCheckCode')).toBe('agree');
    expect(status(result, 'qrDate')).toBe('disagree');
    expect(result.suggested.totalFen).toMatchObject({ value: 34567, confidence: 1 });
    expect(fields(result)).toEqual(['issueDate']);
    expect(result.suggested.issueDate).toMatchObject({ value: '2024-03-06', from: ['qr'] });
  });

  it('explains that a VAT QR amount is before tax when it differs', () => {
    const qr = parseQrPayload('01,10,033002100611,12345678,326.10,20240305,12345678901234567890,');
    const result = crossCheck(extractReceipt(receipt('345.67', '叁佰肆拾伍元陆角柒分', [])), qr);
    expect(status(result, 'qrAmount')).toBe('disagree');
    expect(result.checks.find((c) => c.id === 'qrAmount')?.message).toContain('不含税');
    expect(fields(result)).toContain('totalFigures');
  });

  it('asks for what it could not read, and for inpatient dates', () => {
    const result = crossCheck(extractReceipt([{ text: '医疗住院收费票据' }, { text: '合计(小写)10.00' }]));
    expect(fields(result)).toEqual(
      expect.arrayContaining(['issueDate', 'hospital', 'admissionDate', 'dischargeDate', 'totalFigures']),
    );
  });

  it('asks to confirm a weak reading nothing corroborates', () => {
    const lines = receipt('345.67', '叁佰肆拾伍元陆角柒分', []);
    lines[3] = { text: '收款单位:杭州市第一人民医院', confidence: 0.6 };
    const result = crossCheck(extractReceipt(lines));
    expect(result.needsConfirmation).toEqual([{ field: 'hospital', reason: '识别把握不大，请核对' }]);
  });
});
