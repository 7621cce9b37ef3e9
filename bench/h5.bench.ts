/**
 * H5 download sizes (issue 13): the app built with config/index.ts, and as its baseline a Taro
 * hello-world (bench/fixtures/h5-hello: one page with a Text) built in the same run with the same
 * config (TARO_SOURCE_ROOT). Prints the first-load JS (what index.html loads plus the chunks 首页's
 * route needs before it paints, gzip) against the hello-world's, what 首页 imports after its first
 * paint, what opening 填写 (claim-form) after 首页 downloads (both already in the cache), and the
 * whole js/. Goals: first load ≤ 1.5× hello-world; 填写 after 首页 ≤ 60 KB gzip; js/ ≤ 1.5 MB.
 * `BENCH_H5_DIST=dist-h5` measures an existing app build instead of building one (the hello-world is
 * always built); both builds take minutes on 2 shared cores.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUDGET_JS_BYTES, BUDGET_SECOND_PAGE_GZIP } from '../scripts/check-h5-chunks';
import {
  afterFirstPaint,
  type ChunkFile,
  findRoute,
  firstLoad,
  type H5Build,
  kb,
  nextLoad,
  pageChunks,
  readH5Build,
  sumBytes,
  sumGzip,
} from '../scripts/h5-chunks';

const root = path.resolve(__dirname, '..');
const helloRoot = path.join('bench', 'fixtures', 'h5-hello');
const FIRST_LOAD_GOAL = 1.5;

function buildH5(outputRoot: string, sourceRoot?: string): number {
  const started = performance.now();
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'taro'), ['build', '--type', 'h5', '--no-check'], {
      cwd: root,
      env: { ...process.env, TARO_OUTPUT_ROOT: outputRoot, ...(sourceRoot ? { TARO_SOURCE_ROOT: sourceRoot } : {}) },
      stdio: 'pipe',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: Buffer; stderr?: Buffer };
    console.error(`${stdout}`.slice(-4000), `${stderr}`.slice(-4000));
    throw error;
  }
  return (performance.now() - started) / 1000;
}

const files = (list: ChunkFile[]): string =>
  list.map((file) => `${path.basename(file.file)} ${kb(file.gzip)}`).join(', ');

/** Images the build ships as files (the tab bar's icons: inlined as base64 in app.js until issue 13). */
function images(dir: string): string {
  const root = path.join(dir, 'static', 'images');
  const walk = (at: string): string[] =>
    readdirSync(at).flatMap((name) =>
      statSync(path.join(at, name)).isDirectory() ? walk(path.join(at, name)) : [path.join(at, name)],
    );
  const list = existsSync(root) ? walk(root) : [];
  return `${list.length} files, ${kb(list.reduce((sum, file) => sum + statSync(file).size, 0))}`;
}

export function report(app: H5Build, hello: H5Build): string[] {
  const helloFirst = firstLoad(hello);
  const appFirst = firstLoad(app);
  const ratio = sumGzip(appFirst) / sumGzip(helloFirst);
  const later = afterFirstPaint(app);
  const formRoute = findRoute(app, 'claim-form/index');
  const second = nextLoad(app, [...appFirst, ...later], formRoute);
  const secondEarly = nextLoad(app, appFirst, formRoute);
  const total = sumBytes(app.files);
  const pages = [...pageChunks(app)].sort(([a], [b]) => b.bytes - a.bytes);
  const [largest, largestRoute] = pages[0] ?? [];
  return [
    `hello-world (${helloRoot}, same config): first load ${kb(sumGzip(helloFirst))} gzip (${files(helloFirst)})`,
    `first load, index.html + 首页: ${kb(sumGzip(appFirst))} gzip in ${appFirst.length} files (${files(appFirst)})`,
    `ratio first load / hello-world: ${ratio.toFixed(2)} (goal ≤ ${FIRST_LOAD_GOAL}) ${ratio <= FIRST_LOAD_GOAL ? 'OK' : 'ABOVE GOAL'}`,
    `after its first paint 首页 imports: ${kb(sumGzip(later))} gzip in ${later.length} files (${files(later)}); 首页 in all ${kb(sumGzip([...appFirst, ...later]))}`,
    `open 填写 (${formRoute}) after 首页: ${kb(sumGzip(second))} gzip in ${second.length} files (${files(second)}) (goal ≤ ${kb(BUDGET_SECOND_PAGE_GZIP)}) ${sumGzip(second) <= BUDGET_SECOND_PAGE_GZIP ? 'OK' : 'ABOVE GOAL'}; before 首页's after-paint imports have arrived: ${kb(sumGzip(secondEarly))} (those in flight, not fetched twice)`,
    `js/: ${kb(total)} in ${app.files.length} files, ${kb(sumGzip(app.files))} gzip (goal ≤ ${kb(BUDGET_JS_BYTES)}) ${total <= BUDGET_JS_BYTES ? 'OK' : 'ABOVE GOAL'}; hello-world js/ ${kb(sumBytes(hello.files))}`,
    largest
      ? `page chunks: ${pages.length}, largest ${kb(largest.bytes)} (${kb(largest.gzip)} gzip, ${largestRoute}); shared by every page: ${files([...app.routes.values()].reduce((common, list) => common.filter((file) => list.includes(file))))}`
      : 'no page chunks',
    `static/images (not JS; the tab bar shows 4 at a time, one selected): ${images(app.dir)}`,
  ];
}

export async function run(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'yb-h5-bench-'));
  try {
    copyFileSync(path.join(root, 'src', 'index.html'), path.join(root, helloRoot, 'index.html'));
    const helloOut = path.join(work, 'hello');
    console.log(`hello-world build: ${buildH5(helloOut, helloRoot).toFixed(0)} s`);
    let appDir = process.env.BENCH_H5_DIST ? path.resolve(root, process.env.BENCH_H5_DIST) : '';
    if (appDir)
      console.log(`app: the existing build in ${path.relative(root, appDir) || appDir} (BENCH_H5_DIST), not rebuilt`);
    else {
      appDir = path.join(work, 'app');
      console.log(`app build: ${buildH5(appDir).toFixed(0)} s`);
    }
    for (const line of report(readH5Build(appDir), readH5Build(helloOut))) console.log(line);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
