/**
 * `npm run build:h5`: the H5 build (`taro build --type h5`) into dist-h5/, then a note of what it was built from
 * (a SHA-256 of the sources, the build configuration, the lock file and the TARO_APP_* variables) and of what it made
 * (every file's name and size), kept in node_modules/.cache/.
 * `--if-changed` (the browser tests) builds only when either differs: `npm start` has just built the same sources
 * in CI, and building again took ≈ 50 s of `npm test`. Anything else — a changed source, a deleted or altered file
 * in dist-h5, no note — builds.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const OUTPUT = path.join(root, 'dist-h5');
const NOTE = path.join(root, 'node_modules', '.cache', 'yibao-h5-build.json');
const INPUT_DIRS = ['src', 'config', 'types'];
const INPUT_FILES = [
  'babel.config.js',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
  'project.config.json',
  '.env',
  '.env.production',
  '.env.development',
];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** What the build reads: every file's path and bytes, and the variables Taro passes into the app. */
export function inputsDigest(): string {
  const hash = createHash('sha256');
  const files = [
    ...INPUT_DIRS.flatMap((dir) => filesUnder(path.join(root, dir))),
    ...INPUT_FILES.map((file) => path.join(root, file)).filter((file) => existsSync(file)),
  ];
  for (const file of files)
    hash
      .update(`${path.relative(root, file)}\0`)
      .update(readFileSync(file))
      .update('\0');
  const variables = Object.entries(process.env)
    .filter(([name]) => name.startsWith('TARO_') || name === 'NODE_ENV')
    .sort(([a], [b]) => a.localeCompare(b));
  hash.update(JSON.stringify(variables));
  return hash.digest('hex');
}

/** What the build made: every file under dist-h5 with its size (null when there is no build). */
export function outputDigest(): string | null {
  if (!existsSync(path.join(OUTPUT, 'index.html'))) return null;
  const hash = createHash('sha256');
  for (const file of filesUnder(OUTPUT)) hash.update(`${path.relative(OUTPUT, file)}\0${statSync(file).size}\0`);
  return hash.digest('hex');
}

interface BuildNote {
  inputs: string;
  output: string;
}

function readNote(): BuildNote | null {
  try {
    return JSON.parse(readFileSync(NOTE, 'utf8')) as BuildNote;
  } catch {
    return null;
  }
}

function main(): void {
  const ifChanged = process.argv.includes('--if-changed');
  const inputs = inputsDigest();
  const note = readNote();
  if (ifChanged && note && note.inputs === inputs && note.output === outputDigest()) {
    console.log(
      'build:h5: dist-h5 is the build of these sources (node_modules/.cache/yibao-h5-build.json); not built again',
    );
    return;
  }
  // No note while building: a build stopped half-way is never taken for a whole one.
  rmSync(NOTE, { force: true });
  const taro = spawnSync('npx', ['taro', 'build', '--type', 'h5', '--no-check'], { cwd: root, stdio: 'inherit' });
  if (taro.status !== 0) process.exit(taro.status ?? 1);
  const output = outputDigest();
  if (!output) {
    console.error('build:h5: taro finished but dist-h5/index.html is missing');
    process.exit(1);
  }
  mkdirSync(path.dirname(NOTE), { recursive: true });
  writeFileSync(NOTE, `${JSON.stringify({ inputs, output } satisfies BuildNote)}\n`);
}

if (require.main === module) main();
