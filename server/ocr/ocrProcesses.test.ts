/**
 * The OCR models live in processes of their own (paddle.ts), which can be stopped and started again
 * in one server's life. onnxruntime-node 1.17 keeps one static reference to its InferenceSession
 * class for the whole process and replaces it each time its addon is initialised: with the models in
 * worker threads, a worker started after another had stopped freed a reference of a dead thread, and
 * the process died ("free(): invalid pointer", a segmentation fault, or V8's "Check failed:
 * node->IsInUse()" — the browser suites' jest process, fresh-clone run F, 2026-12-04). Measured
 * 2026-12-04: two threads loading onnxruntime, stopped and started ten times, killed 5 of 6 processes.
 *
 * The process here opens the OCR and closes it again seven times, opens it once more, kills one of its
 * two OCR processes (as a crash in native code would), then reads a real receipt photo twice: both
 * reads must find the receipt's check code, and the process must end clean. With the models in worker
 * threads it died in 3 of 3 runs (eight openings each).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const PADDLE = path.join(__dirname, 'paddle.ts');
const GENERATOR = path.join(ROOT, 'test', 'receipts', 'generator.ts');
const ROUNDS = 8;

const childSource = `
const { readdirSync, readFileSync } = require('node:fs');
const { PaddleAdapter } = require(${JSON.stringify(PADDLE)});
const { generateReceipt } = require(${JSON.stringify(GENERATOR)});

/** The OCR processes this one started (Linux /proc: parent and command line). */
function ocrProcesses() {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync('/proc/' + entry + '/stat', 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync('/proc/' + entry + '/cmdline', 'utf8');
      if (ppid === process.pid && command.includes('paddleWorker')) found.push(Number(entry));
    } catch {}
  }
  return found;
}
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

(async () => {
  const receipt = await generateReceipt(11, { layout: 'outpatient' });
  for (let round = 1; round < ${ROUNDS}; round += 1) {
    const ocr = new PaddleAdapter({ recognisers: 2 });
    await ocr.load();
    await ocr.close();
  }
  const ocr = new PaddleAdapter({ recognisers: 2 });
  await ocr.load();
  const pids = ocrProcesses();
  if (pids.length !== 2) throw new Error('expected 2 OCR processes, found ' + pids.length);
  process.kill(pids[0], 'SIGKILL');
  while (alive(pids[0])) await sleep(20);
  await sleep(100);
  for (let read = 1; read <= 2; read += 1) {
    const lines = await ocr.recognise(receipt.image);
    const text = lines.map((line) => line.text).join('');
    if (!text.includes(receipt.truth.code)) throw new Error('read ' + read + ': the check code was not read: ' + text.slice(0, 200));
  }
  await ocr.close();
  console.log('all rounds read');
})().catch((error) => { console.error(error); process.exit(3); });
`;

function runChild(): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', childSource], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

jest.setTimeout(240_000);

it(`OCR opened ${ROUNDS} times in one process, one OCR process killed: the next reads succeed, the process ends clean`, async () => {
  const { code, signal, output } = await runChild();
  expect({ code, signal, tail: output.slice(-600) }).toEqual({ code: 0, signal: null, tail: expect.any(String) });
  expect(output).toContain('all rounds read');
});
