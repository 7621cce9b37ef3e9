/**
 * `npm run build:cloud`: bundle each cloudfunctions/<name>/index.ts with esbuild (for Node 20.19, the
 * runtime named in cloudbaserc.json) into index.js
 * beside its package.json and config.json (wx-server-sdk stays external: the cloud installs it).
 * Fails when a bundle exceeds 300 KB or does not load with `require` (exporting `main`).
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

const root = path.resolve('cloudfunctions');

/** The runtime every function is deployed with (cloudbaserc.json `runtime`, README): Node.js 20.19. */
export const CLOUD_NODE_TARGET = 'node20.19';
const LIMIT_BYTES = 300 * 1024;

async function main(): Promise<void> {
  const names = readdirSync(root).filter((name) => existsSync(path.join(root, name, 'index.ts')));
  let failed = false;
  for (const name of names) {
    const outfile = path.join(root, name, 'index.js');
    // What the function's package.json lists is installed in the cloud (云端安装依赖): keep it out of the bundle.
    const manifest = JSON.parse(readFileSync(path.join(root, name, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    const external = Object.keys(manifest.dependencies ?? {});
    const started = Date.now();
    await build({
      entryPoints: [path.join(root, name, 'index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: CLOUD_NODE_TARGET,
      format: 'cjs',
      minify: true,
      // Chinese text as UTF-8 (3 bytes a character) rather than \uXXXX escapes (6): ~37 KB less per function.
      charset: 'utf8',
      legalComments: 'none',
      external,
      logLevel: 'warning',
    });
    const size = statSync(outfile).size;
    // Each bundle must load as the cloud loads it (wx-server-sdk resolvable) and export main.
    const loaded = spawnSync(
      process.execPath,
      [
        '-e',
        `const m = require(${JSON.stringify(outfile)}); if (typeof m.main !== 'function') { console.error('no main'); process.exit(1); }`,
      ],
      { encoding: 'utf8' },
    );
    if (loaded.status !== 0) {
      console.error(`${name}: bundle does not load: ${loaded.stderr.trim().split('\n').slice(-3).join(' ')}`);
      failed = true;
    }
    const tooBig = size > LIMIT_BYTES;
    failed ||= tooBig;
    console.log(
      `${name.padEnd(12)} ${(size / 1024).toFixed(1).padStart(7)} KB  ${Date.now() - started} ms${tooBig ? '  ✗ over 300 KB' : ''}`,
    );
  }
  if (failed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
