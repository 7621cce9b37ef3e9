/** The command line, run as a user would: a real process, real files, real OCR for the happy path. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateReceipt } from '../test/receipts/generator';

const root = path.join(__dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const run = (...args: string[]) =>
  spawnSync(tsx, [path.join(root, 'scripts', 'read-receipt.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 50_000,
  });

jest.setTimeout(60_000);

describe('read-receipt', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'read-receipt-'));

  it('exits 2 with a Chinese and English message for a file that is not an image', () => {
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, '这不是图片 / not an image');
    const result = run(file);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('无法读取这张图片');
    expect(result.stderr).toContain('Not a readable image');
  });

  it('exits 2 for a missing file and without arguments', () => {
    const missing = run(path.join(dir, 'nope.jpg'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/无法读取文件.*ENOENT/);
    expect(missing.stderr).toContain('Cannot read file');
    const usage = run();
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Usage');
  });

  it('prints the fields with confidences and the cross-checks as JSON', async () => {
    const receipt = await generateReceipt(21, { layout: 'outpatient', qr: false });
    const file = path.join(dir, 'receipt.jpg');
    writeFileSync(file, receipt.image);
    const result = run(file);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout) as {
      fields: Record<string, { value: unknown; confidence: number; sources: unknown[] }>;
      crossCheck: { checks: Array<{ id: string; status: string }>; needsConfirmation: unknown[] };
      identity: { key: string };
      ocrLines: unknown[];
    };
    expect(output.fields.number?.value).toBe(receipt.truth.number);
    expect(output.fields.totalFigures?.value).toBe(receipt.truth.totalFen);
    expect(output.fields.totalFigures?.confidence).toBeGreaterThan(0.5);
    expect(output.crossCheck.checks.find((c) => c.id === 'wordsVsFigures')?.status).toBe('agree');
    expect(output.identity.key).toBe(`cn:${receipt.truth.code}:${receipt.truth.number}`);
    expect(output.ocrLines.length).toBeGreaterThan(5);
  });
});
