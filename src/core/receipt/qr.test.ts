import { parseQrPayload, qrFields } from './qr';

describe('parseQrPayload', () => {
  it('reads the VAT e-invoice comma form', () => {
    const payload = parseQrPayload('01,10,033002100611,12345678,1234.50,20240305,12345678901234567890,A1B2,');
    expect(payload).toEqual({
      kind: 'vat-invoice',
      raw: '01,10,033002100611,12345678,1234.50,20240305,12345678901234567890,A1B2,',
      invoiceType: '10',
      code: '033002100611',
      number: '12345678',
      amountFen: 123450,
      date: '2024-03-05',
      checkCode: '12345678901234567890',
    });
  });

  it('reads a 全电发票 with an empty code and a 20-digit number', () => {
    const payload = parseQrPayload('01,32,,24332000000012345678,88.00,20241231,,');
    expect(payload.kind).toBe('vat-invoice');
    expect(qrFields(payload)).toEqual({ number: '24332000000012345678', amountFen: 8800, date: '2024-12-31' });
  });

  it('keeps a comma payload whose date is impossible as unknown (never guesses)', () => {
    expect(parseQrPayload('01,10,033002100611,12345678,12.00,20240230,1234').kind).toBe('unknown');
    expect(parseQrPayload('1,2,3').kind).toBe('unknown');
  });

  it('reads 财政电子票据 verification URLs with liberal parameter names', () => {
    const payload = parseQrPayload(
      'https://pjcy.example.gov.cn/check?billBatchCode=33060121&billNo=0012345678&random=a1B2c3&total=345.67&issueDate=20240305&payee=%E6%9F%90%E5%B8%82%E4%BA%BA%E6%B0%91%E5%8C%BB%E9%99%A2',
    );
    expect(payload.kind).toBe('url');
    expect(qrFields(payload)).toEqual({
      code: '33060121',
      number: '0012345678',
      checkCode: 'a1B2c3',
      amountFen: 34567,
      date: '2024-03-05',
      hospital: '某市人民医院',
    });
    expect(payload.kind === 'url' && payload.host).toBe('pjcy.example.gov.cn');
  });

  it.each([
    [
      'http://x.cn/v?bill_code=33060121&bill_no=0012345678&check_code=ZZ9911&money=12.5&date=2024-03-05',
      { code: '33060121', number: '0012345678', checkCode: 'ZZ9911', amountFen: 1250, date: '2024-03-05' },
    ],
    [
      'https://x.cn/#/verify?fpdm=033002100611&fphm=12345678&je=99.00&kprq=20240101',
      { code: '033002100611', number: '12345678', amountFen: 9900, date: '2024-01-01' },
    ],
    ['https://x.cn/a?BILLCODE=3306012&billNo=12ab&total=abc', {}],
  ])('URL %s', (raw, expected) => {
    expect(qrFields(parseQrPayload(raw))).toEqual(expected);
  });

  it('reads labelled text', () => {
    const payload = parseQrPayload(
      '票据代码：33060121；票据号码：0012345678；校验码：a1B2c3；金额：345.67；开票日期：2024-03-05',
    );
    expect(payload.kind).toBe('labelled');
    expect(qrFields(payload)).toEqual({
      code: '33060121',
      number: '0012345678',
      checkCode: 'a1B2c3',
      amountFen: 34567,
      date: '2024-03-05',
    });
  });

  it.each(['just some text', 'eyJhbGciOiJIUzI1NiJ9.abcdef', '', 'WIFI:S:home;T:WPA;P:secret;;'])(
    'keeps %j raw as unknown',
    (raw) => {
      const payload = parseQrPayload(raw);
      expect(payload).toEqual({ kind: 'unknown', raw });
      expect(qrFields(payload)).toEqual({});
    },
  );
});
