import { crossCheck } from './crossCheck';
import { extractReceipt } from './extract';
import { identityOfQr, identityOfReading, normaliseHospital, receiptIdentity } from './identity';
import { parseQrPayload } from './qr';

describe('receiptIdentity', () => {
  it('prefers 票据代码 + 号码, whatever their width or spacing', () => {
    expect(
      receiptIdentity({
        code: '33060121',
        number: '0012345678',
        qrRaw: 'x',
        hospital: 'h',
        date: '2024-03-05',
        totalFen: 1,
      }),
    ).toEqual({ key: 'cn:33060121:0012345678', basis: 'code-number' });
    expect(receiptIdentity({ code: '３３０６ ０１２１', number: '0012345678' })?.key).toBe('cn:33060121:0012345678');
  });

  it('uses a 20-digit 全电 number alone, else the QR payload', () => {
    expect(receiptIdentity({ number: '24332000000012345678' })?.basis).toBe('code-number');
    expect(receiptIdentity({ number: '0012345678', qrRaw: '  https://x.cn/a?b=1 \r\n' })).toEqual({
      key: 'qr:https://x.cn/a?b=1',
      basis: 'qr',
    });
  });

  it('falls back to hospital + date + total, normalised', () => {
    const a = receiptIdentity({ hospital: '杭州市第一人民医院（章）', date: '2024-03-05', totalFen: 34567 });
    const b = receiptIdentity({ hospital: ' 杭州市 第一人民医院', date: '2024-03-05', totalFen: 34567 });
    expect(a).toEqual({ key: 'hdt:杭州市第一人民医院:2024-03-05:34567', basis: 'hospital-date-total' });
    expect(b).toEqual(a);
    expect(normaliseHospital('Ａ医院(盖章)')).toBe('A医院');
  });

  it('has no identity without enough to go on', () => {
    expect(receiptIdentity({ hospital: '某医院', date: '2024-03-05' })).toBeNull();
    expect(receiptIdentity({})).toBeNull();
  });

  it('identifies a reading, with QR values winning over OCR', () => {
    const extracted = extractReceipt([{ text: '票据代码:33060121 票据号码:0012345679' }]);
    const qr = parseQrPayload('https://x.cn/v?billBatchCode=33060121&billNo=0012345678');
    expect(identityOfReading(extracted, qr, crossCheck(extracted, qr))?.key).toBe('cn:33060121:0012345678');
    expect(identityOfReading(extracted, null, null)?.key).toBe('cn:33060121:0012345679');
  });
});

describe('identityOfQr (a photo submitted without being read)', () => {
  it.each([
    '01,10,033002100611,12345678,1234.50,20240305,12345678901234567890,A1B2,',
    '01,32,,24332000000012345678,88.00,20241231,,',
    '01,10,033002100611,12345678,12.00,20240230,1234',
    'https://pjcy.example.gov.cn/check?billBatchCode=33060121&billNo=0012345678&random=a1B2c3&total=345.67&issueDate=20240305&payee=%E6%9F%90%E5%B8%82%E4%BA%BA%E6%B0%91%E5%8C%BB%E9%99%A2',
    'https://x.cn/#/verify?fpdm=033002100611&fphm=12345678&je=99.00&kprq=20240101',
    'https://x.cn/a?BILLCODE=3306012&billNo=12ab&total=abc',
    '票据代码：33060121；票据号码：0012345678；校验码：a1B2c3；金额：345.67；开票日期：2024-03-05',
    'just some text',
    '  ',
  ])('gives %j the identity a reading without text gives it', (text) => {
    const extracted = extractReceipt([]);
    const qr = text.trim() === '' ? null : parseQrPayload(text);
    expect(identityOfQr(text)).toEqual(identityOfReading(extracted, qr, crossCheck(extracted, qr)));
  });
});
