// PaddleOCR (PP-OCRv4 through @gutenye/ocr-node and onnxruntime-node) in a worker thread.
// Plain ESM on purpose: the package is ESM-only, and a worker runs outside jest's and tsx's module
// systems, so the same file serves the local server, the CLI, the bench and the tests.
// Protocol: { id, image: Uint8Array (an encoded PNG/JPEG) } → { id, lines } | { id, error }.
import { parentPort, workerData } from 'node:worker_threads';

const { default: Ocr } = await import('@gutenye/ocr-node');
const threads = Number(workerData?.threads) || 0;
const onnxOptions = threads > 0 ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {};
const ocr = await Ocr.create({ onnxOptions });

parentPort.on('message', async (message) => {
  const { id, image } = message;
  try {
    const lines = await ocr.detect(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
    parentPort.postMessage({ id, lines: lines.map((l) => ({ text: String(l.text ?? ''), mean: Number(l.mean ?? 0), box: l.box ?? null })) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true });
