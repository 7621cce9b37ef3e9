/**
 * The bank file's CSV opens in Excel or WPS at the agency: a text cell a claimant typed must never become a formula
 * there (CSV injection: a 开户银行 of `=HYPERLINK(...)` was written as it came).
 */
import ExcelJS from 'exceljs';
import { bankCsv, bankXlsx, type BankRow } from './bankFile';

const row = (overrides: Partial<BankRow>): BankRow => ({
  payeeName: '张三',
  accountNumber: '6222020200112233445',
  bankName: '中国工商银行大连分行',
  amountFen: 29_538,
  purpose: '医保零星报销 YB0123456789',
  ...overrides,
});

/** The CSV's rows of cells (quoted fields may hold commas, quotes and line breaks; rows end with CRLF). */
function cells(csv: string): string[][] {
  const rows: string[][] = [];
  let rowCells: string[] = [];
  let cell = '';
  let quoted = false;
  const text = csv.replace(/^\uFEFF/, '');
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      rowCells.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      rows.push([...rowCells, cell]);
      rowCells = [];
      cell = '';
      index += 1;
    } else cell += char;
  }
  return rows;
}

describe('bank CSV', () => {
  it.each(['=HYPERLINK("http://ev.il","工行")', '=1+1', '+1', '-1', '@SUM(1)', '\t=1', '\r=1'])(
    'writes %j as text a spreadsheet does not evaluate',
    (typed) => {
      const csv = bankCsv([row({ bankName: typed, payeeName: typed })]);
      const [, line] = cells(csv);
      for (const cell of [line![1]!, line![3]!]) {
        expect(cell.startsWith("'")).toBe(true);
        expect(cell.slice(1)).toBe(typed);
      }
    },
  );

  it('leaves ordinary text and the amounts as they are; one line per payment and nothing else (no 合计 line a bank import takes for a payment — a desk walk)', () => {
    const lines = cells(bankCsv([row({}), row({ amountFen: 100_00 })]));
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => line[0])).toEqual(['序号', '1', '2']);
    const [header, line] = lines;
    expect(header).toEqual(['序号', '收款人姓名', '收款账号', '开户银行', '金额（元）', '用途']);
    expect(line).toEqual([
      '1',
      '张三',
      '6222020200112233445',
      '中国工商银行大连分行',
      '295.38',
      '医保零星报销 YB0123456789',
    ]);
  });

  it("the spreadsheet lists the payments alone on its first sheet and the batch's count and total on a sheet of its own", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      (await bankXlsx([row({}), row({ amountFen: 100_00 })], 'PB20260302-101530-3F')) as unknown as ArrayBuffer,
    );
    const [payments, summary] = workbook.worksheets;
    expect(payments!.rowCount).toBe(3);
    expect(payments!.getRow(3).getCell(1).value).toBe(2);
    expect(summary!.name).toBe('汇总');
    const values = (index: number) => (summary!.getRow(index).values as unknown[]).slice(1);
    expect([values(1), values(2), values(3)]).toEqual([
      ['批次号', 'PB20260302-101530-3F'],
      ['笔数', 2],
      ['金额合计（元）', 395.38],
    ]);
  });

  it('the spreadsheet holds such text as a text cell, not a formula', async () => {
    const typed = '=HYPERLINK("http://ev.il","工行")';
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      (await bankXlsx([row({ bankName: typed })], 'PB20260302-101530-3F')) as unknown as ArrayBuffer,
    );
    const cell = workbook.worksheets[0]!.getRow(2).getCell(4);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(typed);
  });
});
