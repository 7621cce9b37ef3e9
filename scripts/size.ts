/**
 * `npm run size`: the mini-program's main-package size from dist/ (after build:weapp), with a
 * per-file table. Subpackages (app.json subPackages) are counted apart. Fails above 700 KB, the
 * product's budget (WeChat's own limit for the main package is 2 MB): a page only the claim flow or
 * a rare visit reaches goes into a subpackage, and what only subpackages import follows it there.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';

const dist = path.resolve('dist');
const BUDGET_BYTES = 700 * 1024;
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
const app = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8')) as {
  subPackages?: Array<{ root: string }>;
  subpackages?: Array<{ root: string }>;
};
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
console.log(`${kb(mainTotal)}  TOTAL main package (budget ${BUDGET_BYTES / 1024} KB)`);
for (const root of subRoots) {
  const total = rows.filter((row) => row.file.startsWith(root)).reduce((sum, row) => sum + row.bytes, 0);
  console.log(`${kb(total)}  subpackage ${root}`);
}
if (mainTotal > BUDGET_BYTES) {
  console.error(
    `main package ${kb(mainTotal).trim()} is over the ${BUDGET_BYTES / 1024} KB budget: move a page into a subpackage (src/app.config.ts) or keep what only a subpackage uses out of the main package`,
  );
  process.exit(1);
}
