/**
 * `npm run check:h5 [dir]` (after build:h5; default dist-h5): fails if the H5 build ships a library or the
 * core twice again (issue 13). Before config/index.ts split them out, every page chunk carried its own zod
 * and src/core: dist-h5/js was 5.8 MB, pages 330–570 KB each.
 *
 * It reads the built chunks, not the config:
 * - zod: its internal class names (`"$ZodType"`) must be in exactly one file, and not in a page's own chunk
 *   (a chunk only one route loads);
 * - src/core: every string literal that only one src/core module contains (Chinese text ≥ 6 characters:
 *   messages, labels) must be in at most one file, so no core module is copied into several chunks;
 * - 首页's first load (index.html's scripts + its route's chunks: what it waits for before it paints) carries no zod
 *   and no src/core module but the few of config/h5FirstPaint.ts (each imports nothing), and is ≤ 149 KB gzip;
 * - budgets: the whole js/ ≤ 1.5 MB; opening 填写 (claim-form) after 首页 (its first load and what it imports after
 *   its first paint) downloads ≤ 60 KB gzip.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { firstPaintCoreModules } from '../config/h5FirstPaint';
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
} from './h5-chunks';

export const ZOD_MARKERS = ['"$ZodType"', '"$ZodObject"'];
export const BUDGET_JS_BYTES = 1.5 * 1024 * 1024;
export const BUDGET_SECOND_PAGE_GZIP = 60 * 1024;
/**
 * 首页's first load: 1.5 × the Taro hello-world's (99.2 KB gzip, bench/fixtures/h5-hello built with this config,
 * Taro 4.2.1, 2026-12-02). `npm run bench -- h5` measures the ratio itself; this gate needs no second build.
 */
export const BUDGET_FIRST_LOAD_GZIP = 149 * 1024;
const MIN_CORE_MARKERS = 20;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** String literals (Chinese, ≥ 6 characters) that exactly one src/core module holds and no other src file. */
export function coreMarkers(srcDir: string): Map<string, string> {
  const sources = walk(srcDir).filter(
    (file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.endsWith('.d.ts'),
  );
  const texts = new Map(sources.map((file) => [file, readFileSync(file, 'utf8')]));
  const coreDir = path.join(srcDir, 'core') + path.sep;
  const markers = new Map<string, string>();
  for (const [file, text] of texts) {
    if (!file.startsWith(coreDir)) continue;
    const literals = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (
        ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)
      )
        literals.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
    for (const literal of literals) {
      if ([...literal].length < 6 || !/\p{Script=Han}/u.test(literal) || /["'`\\\n\r\t]/.test(literal)) continue;
      if ([...texts].some(([other, otherText]) => other !== file && otherText.includes(literal))) continue;
      markers.set(literal, path.relative(srcDir, file));
    }
  }
  return markers;
}

export interface CheckResult {
  errors: string[];
  notes: string[];
}

export function checkBuild(
  build: H5Build,
  markers: Map<string, string>,
  firstPaintCore: readonly string[] = firstPaintCoreModules,
): CheckResult {
  const errors: string[] = [];
  const notes: string[] = [];
  const pages = pageChunks(build);
  const label = (file: ChunkFile): string =>
    pages.has(file) ? `${file.file} (page chunk of ${pages.get(file)})` : file.file;

  const withZod = build.files.filter((file) => ZOD_MARKERS.some((marker) => file.text.includes(marker)));
  if (withZod.length === 0)
    errors.push(
      `zod not found in any chunk (markers ${ZOD_MARKERS.join(', ')}): update the markers if zod left the client`,
    );
  if (withZod.length > 1) errors.push(`zod is shipped ${withZod.length} times: ${withZod.map(label).join(', ')}`);
  for (const file of withZod.filter((candidate) => pages.has(candidate)))
    errors.push(`zod is in a page chunk: ${label(file)}`);
  if (withZod.length === 1) notes.push(`zod: once, in ${label(withZod[0] as ChunkFile)}`);

  const found = new Map<string, ChunkFile[]>();
  for (const marker of markers.keys()) {
    const files = build.files.filter((file) => file.text.includes(marker));
    if (files.length > 0) found.set(marker, files);
  }
  if (found.size < MIN_CORE_MARKERS)
    errors.push(
      `only ${found.size} of ${markers.size} src/core markers found in the build (need ${MIN_CORE_MARKERS}): the check cannot tell where the core is`,
    );
  const copied = new Map<string, Set<string>>();
  for (const [marker, files] of found) {
    if (files.length < 2) continue;
    const module = markers.get(marker) ?? '?';
    copied.set(module, new Set([...(copied.get(module) ?? []), ...files.map(label)]));
  }
  for (const [module, files] of copied)
    errors.push(`src/${module} is shipped ${files.size} times: ${[...files].join(', ')}`);
  const coreFiles = new Map<ChunkFile, Set<string>>();
  for (const [marker, files] of found)
    for (const file of files)
      coreFiles.set(file, new Set([...(coreFiles.get(file) ?? []), markers.get(marker) ?? '?']));
  notes.push(
    `src/core: ${found.size} markers found, in ${[...coreFiles].map(([file, modules]) => `${label(file)} [${modules.size} modules]`).join(', ')}`,
  );

  const total = sumBytes(build.files);
  notes.push(`js/ total ${kb(total)} in ${build.files.length} files (budget ${kb(BUDGET_JS_BYTES)})`);
  if (total > BUDGET_JS_BYTES) errors.push(`js/ is ${kb(total)}, over the ${kb(BUDGET_JS_BYTES)} budget`);
  const largest = [...pages.keys()].sort((a, b) => b.bytes - a.bytes)[0];
  if (largest) notes.push(`largest page chunk: ${label(largest)} ${kb(largest.bytes)} (${kb(largest.gzip)} gzip)`);

  const home = firstLoad(build);
  const later = afterFirstPaint(build);
  const allowed = new Set(firstPaintCore.map((name) => `core/${name}.ts`));
  for (const file of home) {
    if (ZOD_MARKERS.some((marker) => file.text.includes(marker)))
      errors.push(
        `首页's first load carries zod: ${label(file)} (import it after the first paint: see config/index.ts)`,
      );
    const modules = new Set(
      [...found]
        .filter(
          ([marker, files]) => files.includes(file) && !allowed.has((markers.get(marker) ?? '').replace(/\\/g, '/')),
        )
        .map(([marker]) => markers.get(marker) ?? '?'),
    );
    if (modules.size > 0)
      errors.push(
        `首页's first load carries src/core beyond ${[...allowed].join(', ')}: ${label(file)} has ${[...modules].map((module) => `src/${module}`).join(', ')}`,
      );
  }
  notes.push(
    `first load (index.html + 首页, before it paints): ${kb(sumGzip(home))} gzip in ${home.length} files (budget ${kb(BUDGET_FIRST_LOAD_GZIP)}); after its first paint 首页 imports ${kb(sumGzip(later))} gzip in ${later.length} files`,
  );
  if (sumGzip(home) > BUDGET_FIRST_LOAD_GZIP)
    errors.push(
      `首页's first load is ${kb(sumGzip(home))} gzip, over ${kb(BUDGET_FIRST_LOAD_GZIP)} (1.5 × the hello-world): ${home.map((file) => `${label(file)} ${kb(file.gzip)}`).join(', ')}`,
    );
  const form = nextLoad(build, [...home, ...later], findRoute(build, 'claim-form/index'));
  notes.push(`then 填写: ${kb(sumGzip(form))} gzip in ${form.length} files (budget ${kb(BUDGET_SECOND_PAGE_GZIP)})`);
  if (sumGzip(form) > BUDGET_SECOND_PAGE_GZIP)
    errors.push(
      `opening 填写 after 首页 downloads ${kb(sumGzip(form))} gzip, over ${kb(BUDGET_SECOND_PAGE_GZIP)}: ${form.map(label).join(', ')}`,
    );
  return { errors, notes };
}

function main(): void {
  const dir = path.resolve(process.argv[2] ?? 'dist-h5');
  let build: H5Build;
  try {
    build = readH5Build(dir);
  } catch (error) {
    console.error(`${dir}: ${(error as Error).message} (run \`npm run build:h5\` first)`);
    process.exit(2);
  }
  const { errors, notes } = checkBuild(build, coreMarkers(path.resolve('src')));
  for (const note of notes) console.log(note);
  for (const error of errors) console.error(`FAIL ${error}`);
  if (errors.length > 0) process.exit(1);
  console.log(`${path.relative(process.cwd(), dir) || dir}: no library or core module shipped twice; within budgets`);
}

if (require.main === module) main();
