/**
 * The payment batch as a bank's 代发 (batch transfer) file: one row per claim — 序号, 收款人姓名,
 * 收款账号, 开户银行, 金额（元）, 用途 — and nothing else: a 合计 line among them is read by a bank's import as one
 * more payment (a desk walk), so the CSV has none and the spreadsheet gives the batch's count and total on a sheet of
 * its own (汇总), as the 支付批次 page does. Amounts are written from integer fen as
 * text with two decimals (no float ever touches them); the spreadsheet cell carries the same value
 * as a number formatted 0.00 so the bank's import and a person both read it. CSV is UTF-8 with a BOM
 * (Excel opens it as Chinese) and CRLF line ends; fields are quoted when they hold a comma, a quote
 * or a line break, and a text field a spreadsheet would read as a formula is written as text. exceljs
 * (about 500 modules, most of a second to load) is loaded on the first spreadsheet, not with the server.
 */
import { fenToInputText, sumFen, type Fen } from '../../src/core/money';

export interface BankRow {
  payeeName: string;
  accountNumber: string;
  bankName: string;
  amountFen: Fen;
  /** 用途: 医保零星报销 + the claim number. */
  purpose: string;
}

export const bankColumns = ['序号', '收款人姓名', '收款账号', '开户银行', '金额（元）', '用途'] as const;

/** The purpose line the bank prints on the payee's statement. */
export function purposeOf(claimNumber: string): string {
  return `医保零星报销 ${claimNumber}`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A text cell a spreadsheet will not evaluate: one beginning with = + - @ (or a tab or carriage return before them)
 * gets a leading apostrophe, which Excel and WPS show as text (CSV injection; OWASP's rule). Numbers are not passed
 * through it: the amounts are ours, never negative.
 */
function textField(value: string): string {
  return csvField(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

export function bankCsv(rows: readonly BankRow[]): string {
  const lines = [bankColumns.join(',')];
  rows.forEach((row, index) => {
    lines.push(
      [
        String(index + 1),
        textField(row.payeeName),
        textField(row.accountNumber),
        textField(row.bankName),
        csvField(fenToInputText(row.amountFen)),
        textField(row.purpose),
      ].join(','),
    );
  });
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function bankXlsx(rows: readonly BankRow[], batchNo: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '医保报销助手';
  const sheet = workbook.addWorksheet(batchNo.slice(0, 31));
  sheet.columns = bankColumns.map((header, index) => ({
    header,
    key: `c${index}`,
    width: [6, 14, 24, 24, 14, 32][index],
  }));
  rows.forEach((row, index) => {
    // Account numbers stay text (a number cell would lose digits past 15).
    sheet.addRow([
      index + 1,
      row.payeeName,
      row.accountNumber,
      row.bankName,
      Number(fenToInputText(row.amountFen)),
      row.purpose,
    ]);
  });
  sheet.getColumn(3).numFmt = '@';
  sheet.getColumn(5).numFmt = '0.00';
  sheet.getRow(1).font = { bold: true };
  const summary = workbook.addWorksheet('汇总');
  summary.columns = [{ width: 16 }, { width: 28 }];
  summary.addRow(['批次号', batchNo]);
  summary.addRow(['笔数', rows.length]);
  summary.addRow(['金额合计（元）', Number(fenToInputText(sumFen(rows.map((row) => row.amountFen))))]);
  summary.getCell('B3').numFmt = '0.00';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
