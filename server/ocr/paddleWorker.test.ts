/**
 * An OCR process whose server went away while it read a photo (the server stopped, SIGTERM, a deploy) ends quietly.
 * A black-box probe stopped the server during a receipt read: the answer's write failed (EPIPE), uncaught, and Node
 * printed the line it came from — the whole minified opencv.js, about 10 MB of the server's log, 2 times out of 2.
 * Here (a server in miniature that exits during a read) the OCR process saw the disconnect first and the old code ended
 * quietly too: this holds the quiet end; the probe's case is answered by the send callback in paddleWorker.mjs.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { tempDir } from '../../test/support/ports';

const WORKER = path.join(__dirname, 'paddleWorker.mjs');

/** A server in miniature: forks the OCR process, asks it to read a photo, and exits while it reads. */
const serverSource = `
const { fork } = require('node:child_process');
const { readFileSync } = require('node:fs');
const photo = readFileSync(process.argv[1]);
const child = fork(${JSON.stringify(WORKER)}, [JSON.stringify({ role: 'detect', threads: 1, detThreads: 1 })], {
  serialization: 'advanced',
  execArgv: [],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
child.on('message', (reply) => {
  if (!reply.ready) return;
  console.log('ocr pid ' + child.pid);
  child.send({ id: 1, op: 'detect', detSide: 1024, image: new Uint8Array(photo) });
  setTimeout(() => process.exit(0), 30);
});
`;

it('ends with a few bytes of output when its server exits during a read', async () => {
  const file = path.join(tempDir(), 'receipt.jpg');
  const text = Array.from(
    { length: 30 },
    (_, line) => `<text x="40" y="${60 + line * 50}" font-size="36">门诊收费票据 第 ${line} 行 金额 123.45</text>`,
  ).join('');
  writeFileSync(
    file,
    await sharp({ create: { width: 1600, height: 1600, channels: 3, background: '#fff' } })
      .composite([
        { input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1600">${text}</svg>`) },
      ])
      .jpeg()
      .toBuffer(),
  );
  const server = spawn(process.execPath, ['-e', serverSource, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // The OCR process writes to the same pipes: they close when it has ended too.
  await new Promise<void>((resolve) => server.stdout.on('close', () => resolve()));
  const pid = /ocr pid (\d+)/.exec(output)?.[1];
  expect(pid).toBeDefined();
  // Ended: gone, or a zombie nobody reaps (its parent exited; this machine's init may not reap).
  const state = existsSync(`/proc/${pid}/stat`)
    ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]
    : 'gone';
  expect(['gone', 'Z']).toContain(state);
  expect(output.length).toBeLessThan(10_000);
}, 60_000);
