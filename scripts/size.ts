/**
 * `npm run size`: the mini-program's main-package size from dist/ (after build:weapp), with a
 * per-file table. Subpackages (app.json subPackages) are counted apart. Fails above 1.5 MB;
 * the goal is 700 KB (WeChat's hard limit for the main package is 2 MB).
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';

const dist = path.resolve('dist');
const FAIL_BYTES = 1.5 * 1024 * 1024;
const GOAL_BYTES = 700 * 1024;
const ignored = new Set(['project.config.json', 'project.private.config.json']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

if (!existsSync(path.join(dist, 'app.json'))) {
  console.error('dist/app.json missing: run `npm run build:weapp` first');
  process.exit(2);
}
const app = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8')) as { subPackages?: Array<{ root: string }>; subpackages?: Array<{ root: string }> };
const subRoots = [...(app.subPackages ?? []), ...(app.subpackages ?? [])].map((pkg) => pkg.root.replace(/\/?$/, '/'));

const rows = walk(dist)
  .map((file) => ({ file: path.relative(dist, file).split(path.sep).join('/'), bytes: statSync(file).size }))
  .filter((row) => !ignored.has(row.file) && !row.file.endsWith('.LICENSE.txt') && !row.file.endsWith('.map'));
const inSub = (file: string): string | undefined => subRoots.find((root) => file.startsWith(root));
const main = rows.filter((row) => !inSub(row.file)).sort((a, b) => b.bytes - a.bytes);
const mainTotal = main.reduce((sum, row) => sum + row.bytes, 0);

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1).padStart(8)} KB`;
console.log('main package');
for (const row of main) console.log(`${kb(row.bytes)}  ${row.file}`);
console.log(`${kb(mainTotal)}  TOTAL main package (goal ≤ ${GOAL_BYTES / 1024} KB, fails above ${FAIL_BYTES / 1024} KB)`);
for (const root of subRoots) {
  const total = rows.filter((row) => row.file.startsWith(root)).reduce((sum, row) => sum + row.bytes, 0);
  console.log(`${kb(total)}  subpackage ${root}`);
}
if (mainTotal > FAIL_BYTES) {
  console.error(`main package ${kb(mainTotal)} exceeds 1.5 MB`);
  process.exit(1);
}
if (mainTotal > GOAL_BYTES) console.warn(`warning: main package above the ${GOAL_BYTES / 1024} KB goal`);
