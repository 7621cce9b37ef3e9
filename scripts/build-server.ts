/**
 * `npm run build:server`: the local server (server/local/main.ts) as one CommonJS file,
 * dist-server/main.cjs, which `npm run serve` runs with plain Node. Under tsx the server spent most
 * of its start resolving and transforming ~200 modules (about 1.5 s of CPU, 3–6 s on a loaded
 * 2-core machine); one bundled file starts in about a third of a second of CPU (issue 12: ready
 * ≤ 1 s). Native modules and what is loaded only on first use (exceljs, sharp, the OCR, nedb, pg,
 * PGlite) stay in node_modules; PaddleOCR's worker file is copied beside the bundle, where
 * server/ocr/paddle.ts looks for it (`__dirname`).
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '..');

export const SERVER_BUNDLE = path.join(root, 'dist-server', 'main.cjs');

/** Loaded from node_modules at run time: native code, or modules the server loads on first use only. */
const external = [
  'better-sqlite3',
  'sharp',
  'exceljs',
  'pg',
  '@electric-sql/pglite',
  '@seald-io/nedb',
  '@gutenye/ocr-node',
  'onnxruntime-node',
  'wx-server-sdk',
  // Loaded by path in the QR reader's worker thread (server/ocr/qrDecode.ts).
  'jsqr',
];

/** Bundles the server into SERVER_BUNDLE (about a second); returns its path. */
export async function buildServer(): Promise<string> {
  const outdir = path.dirname(SERVER_BUNDLE);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'server/local/main.ts')],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    charset: 'utf8',
    external,
    logLevel: 'warning',
  });
  const ocrDir = path.join(root, 'server/ocr');
  for (const worker of readdirSync(ocrDir).filter((name) => name.endsWith('.mjs')))
    copyFileSync(path.join(ocrDir, worker), path.join(outdir, worker));
  return SERVER_BUNDLE;
}

if (require.main === module) {
  const started = Date.now();
  buildServer()
    .then((file) => console.log(`${path.relative(root, file)} (${Date.now() - started} ms)`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
