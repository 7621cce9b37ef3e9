/**
 * `npm run --silent read-receipt -- <image>`: reads a receipt photo with the local OCR (PaddleOCR)
 * and the QR decoder, and prints JSON — the extracted fields with confidences and sources, the
 * items, the cross-checks and what must be confirmed, the receipt's identity, the raw OCR lines.
 * Exit codes: 0 read; 2 no such file, unreadable or not an image (message on stderr, Chinese and
 * English); 1 anything else (the OCR failed).
 */
import { readFileSync } from 'node:fs';
import { isDomainError } from '../src/core/errors';
import { sharedPaddle } from '../server/ocr/paddle';
import { readReceipt } from '../server/receipts/readReceipt';

function fail(code: number, chinese: string, english: string): never {
  process.stderr.write(`${chinese}\n${english}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || file === '--help' || file === '-h')
    fail(
      2,
      '用法：npm run --silent read-receipt -- <票据照片>',
      'Usage: npm run --silent read-receipt -- <receipt image>',
    );
  let image: Buffer;
  try {
    image = readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown';
    fail(2, `无法读取文件：${file}（${reason}）`, `Cannot read file: ${file} (${reason})`);
  }
  const ocr = sharedPaddle();
  try {
    const result = await readReceipt(image, { ocr });
    const { extracted, crossCheck, qr, qrRead, identity, ocrLines, image: described, timings } = result;
    const output = {
      file,
      image: described,
      kind: extracted.kind,
      fields: extracted.fields,
      items: extracted.items,
      crossCheck,
      qr: qr ? { ...qr, location: qrRead?.location } : null,
      identity,
      ocrLines,
      timings,
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } catch (error) {
    if (isDomainError(error) && error.code === 'RECEIPT_NOT_IMAGE') {
      fail(
        2,
        `${error.message}（${file}）`,
        `Not a readable image: ${file} (expected a JPEG or PNG photo of a receipt)`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    fail(1, `识别失败：${message}`, `Reading failed: ${message}`);
  } finally {
    await ocr.close();
  }
}

void main();
