/**
 * `npm run check:cloud`: what can be checked of a deployment before there is one.
 *
 * 1. Runtime: every function in cloudbaserc.json runs on the one runtime the README names
 *    (Nodejs20.19), has a timeout, and each cloudfunctions/<name> has its entry in cloudbaserc.json.
 * 2. Bundles: `npm run build:cloud` (esbuild, target node20.19 — syntax above it fails the build);
 *    each index.js parses as ES2023 (what Node 20 runs) and loads with `require` in a fresh Node
 *    process whose environment holds only PATH and the variables the README names for that
 *    function, with wx-server-sdk resolvable as the cloud installs it. This machine's Node is 20.x,
 *    the runtime's major version; the exact 20.19 and the cloud's own modules are first-deployment checks.
 * 3. Permissions: the open APIs a bundle calls (`.openapi.<namespace>.<method>(` of WeChat's open API
 *    namespaces; property names survive minification) are exactly the `permissions.openapi` of its config.json.
 * 4. Mini-program: every .js under dist/ parses as ES5 (project.config.json "es6": false: WeChat
 *    does not transpile on upload), and reviewers can reach their pages: dist/app.json has the
 *    `reviewer` subpackage with its queue page, a main-package page links to it, no dev-only page
 *    is in the mini-program, and every page path the code names (`/…pages/<name>/index`, as
 *    navigateTo / redirectTo / reLaunch take it) is a page of dist/app.json — a page moved into a
 *    subpackage must take its links along. Builds dist/ with `npm run build:weapp` when it is missing (`--build` forces it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'acorn';

const RUNTIME = 'Nodejs20.19';
const root = path.resolve('cloudfunctions');
const problems: string[] = [];
const fail = (message: string): void => void problems.push(message);

/** Environment variables each function reads, as the README's deployment section names them. */
const readmeVariables: Record<string, string[]> = {
  claims: ['FIELD_KEY'],
  review: ['FIELD_KEY'],
  receipts: ['FIELD_KEY'],
  notify: [
    'FIELD_KEY',
    'SUBSCRIBE_TEMPLATE_ACCEPTED',
    'SUBSCRIBE_TEMPLATE_RESULT',
    'SUBSCRIBE_TEMPLATE_PAID',
    'MINIPROGRAM_STATE',
  ],
  notifications: [],
  files: [],
  me: [],
  policies: [],
  payments: ['FIELD_KEY'],
  calendar: [],
};

/** WeChat open API namespaces (cloud.openapi.<namespace>.<method>) a bundle might call. */
const OPENAPI_NAMESPACES = [
  'subscribeMessage',
  'ocr',
  'security',
  'wxacode',
  'urlscheme',
  'urllink',
  'phonenumber',
  'customerServiceMessage',
  'templateMessage',
  'uniformMessage',
  'img',
  'analysis',
  'wxaapi',
  'cloudbase',
  'logistics',
];

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

function checkRuntime(names: string[]): void {
  const config = JSON.parse(readFileSync('cloudbaserc.json', 'utf8')) as {
    functions: Array<{ name: string; runtime?: string; timeout?: number }>;
  };
  for (const name of names) {
    const entry = config.functions.find((fn) => fn.name === name);
    if (!entry) fail(`${name}: missing from cloudbaserc.json`);
    else {
      if (entry.runtime !== RUNTIME)
        fail(`${name}: runtime ${entry.runtime ?? '(none)'} — the README names ${RUNTIME}`);
      if (!entry.timeout || entry.timeout < 3 || entry.timeout > 60)
        fail(`${name}: timeout must be 3–60 s (cloudbaserc.json), is ${entry.timeout ?? '(none)'}`);
    }
    if (!(name in readmeVariables)) fail(`${name}: the README's variable list does not name this function`);
    const manifest = JSON.parse(readFileSync(path.join(root, name, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      engines?: unknown;
    };
    if (!manifest.dependencies?.['wx-server-sdk']) fail(`${name}: package.json must list wx-server-sdk`);
  }
}

function checkBundle(name: string): void {
  const bundle = path.join(root, name, 'index.js');
  const code = readFileSync(bundle, 'utf8');
  try {
    parse(code, { ecmaVersion: 2023, sourceType: 'script', allowHashBang: true });
  } catch (error) {
    fail(`${name}: index.js is not ES2023 (Node 20): ${(error as Error).message}`);
  }
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', NODE_PATH: path.resolve('node_modules') };
  for (const variable of readmeVariables[name] ?? [])
    env[variable] =
      variable === 'FIELD_KEY' ? '0'.repeat(64) : variable === 'MINIPROGRAM_STATE' ? 'formal' : 'template-id';
  const probe = `const m = require(${JSON.stringify(bundle)}); if (typeof m.main !== 'function') { console.error('no main export'); process.exit(1); }`;
  const loaded = spawnSync(process.execPath, ['-e', probe], {
    encoding: 'utf8',
    env: env as NodeJS.ProcessEnv,
    timeout: 20_000,
  });
  if (loaded.status !== 0)
    fail(
      `${name}: bundle does not load with only ${JSON.stringify(Object.keys(env))}: ${loaded.stderr.trim().split('\n').slice(-2).join(' ')}`,
    );
  const called = new Set<string>();
  for (const namespace of OPENAPI_NAMESPACES) {
    for (const match of code.matchAll(new RegExp(`\\.openapi\\.${namespace}\\.([a-zA-Z]+)\\(`, 'g')))
      called.add(`${namespace}.${match[1] ?? ''}`);
  }
  const config = JSON.parse(readFileSync(path.join(root, name, 'config.json'), 'utf8')) as {
    permissions?: { openapi?: string[] };
    timeout?: unknown;
  };
  const granted = new Set(config.permissions?.openapi ?? []);
  for (const api of called)
    if (!granted.has(api)) fail(`${name}: calls openapi ${api} without the permission in config.json`);
  for (const api of granted)
    if (!called.has(api)) fail(`${name}: config.json grants ${api}, which the code never calls`);
  if ('timeout' in config)
    fail(`${name}: config.json has "timeout", which the platform does not read there — set it in cloudbaserc.json`);
  console.log(
    `${name.padEnd(14)} ${(statSync(bundle).size / 1024).toFixed(1).padStart(6)} KB  openapi: ${[...called].join(', ') || '—'}`,
  );
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? jsFiles(full) : entry.name.endsWith('.js') ? [full] : [];
  });
}

function checkWeapp(): void {
  const files = jsFiles('dist');
  let bytes = 0;
  const links: Array<{ file: string; page: string }> = [];
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    bytes += code.length;
    for (const match of code.matchAll(/["'`]\/((?:[a-z-]+\/)*pages\/[a-z-]+\/index)\b/g))
      links.push({ file, page: match[1] ?? '' });
    try {
      parse(code, { ecmaVersion: 5, sourceType: 'script' });
    } catch (error) {
      const { line, column } = (error as { loc?: { line: number; column: number } }).loc ?? { line: 0, column: 0 };
      const text = code.split('\n')[line - 1]?.slice(Math.max(0, column - 30), column + 30) ?? '';
      fail(
        `dist/${path.relative('dist', file)}: syntax above ES5 at ${line}:${column} (${(error as Error).message}) …${text}…`,
      );
    }
  }
  const app = JSON.parse(readFileSync('dist/app.json', 'utf8')) as {
    pages: string[];
    subPackages?: Array<{ root: string; pages: string[] }>;
    subpackages?: Array<{ root: string; pages: string[] }>;
  };
  const reviewer = (app.subPackages ?? app.subpackages ?? []).find((pkg) => pkg.root.replace(/\/$/, '') === 'reviewer');
  if (!reviewer?.pages.includes('pages/queue/index'))
    fail('dist/app.json: no reviewer subpackage with pages/queue/index');
  if (app.pages.some((page) => page.startsWith('pages/dev-')))
    fail('dist/app.json: a dev-only page is in the mini-program');
  const known = new Set([
    ...app.pages,
    ...(app.subPackages ?? app.subpackages ?? []).flatMap((pkg) =>
      pkg.pages.map((page) => `${pkg.root.replace(/\/$/, '')}/${page}`),
    ),
  ]);
  // dev-only pages are named by code that runs only in the H5 build
  for (const { file, page } of links)
    if (!known.has(page) && !page.startsWith('pages/dev-'))
      fail(`dist/${path.relative('dist', file)} links to /${page}, which is no page of dist/app.json`);
  const linking = app.pages.filter(
    (page) =>
      existsSync(`dist/${page}.js`) && readFileSync(`dist/${page}.js`, 'utf8').includes('/reviewer/pages/queue/index'),
  );
  if (linking.length === 0)
    fail('no main-package page of dist/ links to /reviewer/pages/queue/index: reviewers cannot reach their pages');
  console.log(
    `weapp          ${files.length} js files, ${(bytes / 1024).toFixed(0)} KB parsed as ES5; reviewer entry on ${linking.join(', ') || '—'}`,
  );
}

function main(): void {
  const names = readdirSync(root).filter((name) => existsSync(path.join(root, name, 'index.ts')));
  checkRuntime(names);
  run('npm', ['run', '--silent', 'build:cloud']);
  for (const name of names) checkBundle(name);
  if (process.argv.includes('--build') || !existsSync('dist/app.json')) run('npm', ['run', '--silent', 'build:weapp']);
  checkWeapp();
  if (problems.length > 0) {
    console.error(`\n${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log('\ncheck:cloud: all checks passed');
}

main();
