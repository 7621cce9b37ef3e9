/**
 * The OCR workers' native modules are loaded by the starting thread before any worker (paddle.ts
 * `holdWorkersNativeModules`). Without that, worker threads loading onnxruntime's binding at the same
 * moment failed with "Module did not self-register" in 24 of 60 fresh processes (measured 2026-12-03,
 * three workers each). Each process here holds the modules as the adapter does, then starts three
 * workers that load them together, as paddleWorker.mjs resolves them; every process must end clean.
 * Remove the hold and this fails (about 4 in 10 processes do).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const PADDLE = path.join(__dirname, 'paddle.ts');
const WORKER_FILE = path.join(__dirname, 'paddleWorker.mjs');
const PROCESSES = 10;
const WORKERS = 3;

const workerSource = `
const { createRequire } = require('node:module');
const { parentPort, workerData } = require('node:worker_threads');
const fromOcrNode = createRequire(createRequire(workerData.workerFile).resolve('@gutenye/ocr-node'));
fromOcrNode('onnxruntime-node');
const sharp = fromOcrNode('sharp');
sharp(Buffer.alloc(48 * 48 * 3, 200), { raw: { width: 48, height: 48, channels: 3 } })
  .resize(16, 16).raw().toBuffer().then((pixels) => parentPort.postMessage(pixels.length));
`;

const childSource = `
const { Worker } = require('node:worker_threads');
const { holdWorkersNativeModules } = require(${JSON.stringify(PADDLE)});
holdWorkersNativeModules();
let ended = 0;
for (let i = 0; i < ${WORKERS}; i += 1) {
  const worker = new Worker(${JSON.stringify(workerSource)}, { eval: true, workerData: { workerFile: ${JSON.stringify(WORKER_FILE)} } });
  worker.on('message', (bytes) => {
    if (bytes !== 16 * 16 * 3) process.exit(2);
    ended += 1;
    void worker.terminate();
    if (ended === ${WORKERS}) console.log('workers ok');
  });
}
`;

function runChild(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', childSource], {
      cwd: path.join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

jest.setTimeout(120_000);

it(`${PROCESSES} processes, ${WORKERS} workers each loading onnxruntime and sharp at once: every worker loads`, async () => {
  const failures: string[] = [];
  // Two processes at a time: the machine's two cores.
  for (let i = 0; i < PROCESSES; i += 2) {
    for (const { code, output } of await Promise.all([runChild(), runChild()]))
      if (code !== 0 || !output.includes('workers ok')) failures.push(`exit ${code}: ${output.slice(0, 400)}`);
  }
  expect(failures).toEqual([]);
});
