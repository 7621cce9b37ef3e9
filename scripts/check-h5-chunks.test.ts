import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkBuild, coreMarkers } from './check-h5-chunks';
import { readH5Build } from './h5-chunks';

/** 20 core strings, as coreMarkers would find them, each in its module. */
const markers = new Map(
  Array.from({ length: 20 }, (_, index) => [`核心模块的提示第${index}条`, `core/module${index}.ts`]),
);
const coreText = [...markers.keys()].map((marker) => `"${marker}"`).join(',');
const zodText = '$constructor("$ZodType",function(){}),$constructor("$ZodObject",function(){})';

/** A dist-h5 as Taro writes it: index.html, app.js with the routes, one JSONP file per chunk. */
function fakeBuild(chunks: Record<string, string>, routes: Record<string, string[]>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'yb-h5-check-'));
  mkdirSync(path.join(dir, 'js'));
  const loads = Object.entries(routes).map(
    ([route, ids]) =>
      `Object.assign({"path":"${route}","load":function load(A,e){return[Promise.all([${ids.map((id) => `n.e(${id})`).join(',')}]).then(n.bind(n,1)),A,e]}},{})`,
  );
  writeFileSync(path.join(dir, 'js', 'app.00000000.js'), `!function(){var routes=[${loads.join(',')}]}();`);
  writeFileSync(
    path.join(dir, 'index.html'),
    '<html><head><script defer="defer" src="/js/app.00000000.js"></script></head></html>',
  );
  for (const [id, body] of Object.entries(chunks))
    writeFileSync(
      path.join(dir, 'js', `${id}.11111111.js`),
      `"use strict";(self.webpackJsonp=self.webpackJsonp||[]).push([[${id}],{"${id}0":function(e,t,n){${body}}}]);`,
    );
  return dir;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function check(chunks: Record<string, string>, routes: Record<string, string[]>, firstPaintCore?: string[]): string[] {
  const dir = fakeBuild(chunks, routes);
  dirs.push(dir);
  return checkBuild(readH5Build(dir), markers, firstPaintCore).errors;
}

describe('check-h5-chunks', () => {
  // 首页 (chunk 1) paints with lib (7) and imports zod (5) and the core (6) after its first paint; 填写 (2) and 预估 (3)
  // load all four.
  const routes = {
    'pages/index/index': ['7', '1'],
    'claimant/pages/claim-form/index': ['7', '5', '6', '2'],
    'claimant/pages/claim-estimate/index': ['7', '5', '6', '3'],
  };
  const home = 'Promise.all([n.e(5),n.e(6)]).then(n.bind(n,60))';

  it('passes zod and the core each in one shared chunk, 首页 importing them after its first paint', () => {
    expect(check({ 7: 'lib', 5: zodText, 6: coreText, 1: home, 2: 'form', 3: 'estimate' }, routes)).toEqual([]);
  });

  it('fails when 首页 loads zod or the core before its first paint', () => {
    const errors = check(
      { 7: 'lib', 5: zodText, 6: coreText, 1: home, 2: 'form', 3: 'estimate' },
      { ...routes, 'pages/index/index': ['7', '5', '6', '1'] },
    );
    expect(errors).toContainEqual(expect.stringMatching(/^首页's first load carries zod: js\/5\.11111111\.js/));
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^首页's first load carries src\/core beyond .*: js\/6\.11111111\.js has src\/core\/module0\.ts/,
      ),
    );
  });

  it('lets 首页 paint with the core modules of config/h5FirstPaint.ts, and no other', () => {
    const light = '"核心模块的提示第0条"';
    const chunks = {
      7: 'lib',
      5: zodText,
      6: coreText.replace(`${light},`, ''),
      1: home + light,
      2: 'form',
      3: 'estimate',
    };
    expect(check(chunks, routes, ['module0'])).toEqual([]);
    expect(check(chunks, routes, ['money'])).toContainEqual(
      expect.stringMatching(
        /^首页's first load carries src\/core beyond core\/money\.ts: js\/1\.11111111\.js .* has src\/core\/module0\.ts$/,
      ),
    );
  });

  it("fails when 首页's first load is over 1.5 × the hello-world (149 KB gzip)", () => {
    const big = Array.from({ length: 100_000 }, (_, index) => index.toString(36)).join(' ');
    expect(check({ 7: big, 5: zodText, 6: coreText, 1: home, 2: 'form', 3: 'estimate' }, routes)).toContainEqual(
      expect.stringMatching(/^首页's first load is .* gzip, over 149\.0 KB/),
    );
  });

  it('fails when page chunks carry zod and the core again', () => {
    const errors = check({ 7: '', 5: '', 6: '', 1: zodText + coreText, 2: zodText + coreText, 3: '' }, routes);
    expect(errors).toContainEqual(expect.stringMatching(/^zod is shipped 2 times/));
    expect(errors).toContainEqual(
      expect.stringMatching(/^zod is in a page chunk: js\/1\.11111111\.js \(page chunk of pages\/index\/index\)/),
    );
    expect(errors).toContainEqual(expect.stringMatching(/^src\/core\/module0\.ts is shipped 2 times/));
  });

  it('fails when it cannot find the core or zod at all', () => {
    const errors = check({ 7: '', 5: '', 6: '', 1: home, 2: 'form', 3: 'estimate' }, routes);
    expect(errors).toContainEqual(expect.stringMatching(/^zod not found/));
    expect(errors).toContainEqual(expect.stringMatching(/^only 0 of 20 src\/core markers/));
  });

  it('fails when opening 填写 after 首页 downloads over 60 KB', () => {
    const big = Array.from({ length: 40_000 }, (_, index) => index.toString(36)).join(' ');
    expect(check({ 7: 'lib', 5: zodText, 6: coreText, 1: home, 2: big, 3: 'estimate' }, routes)).toContainEqual(
      expect.stringMatching(/^opening 填写 after 首页 downloads/),
    );
  });

  it('finds markers in the real src/core: Chinese strings only one core module holds', () => {
    const real = coreMarkers(path.resolve(__dirname, '..', 'src'));
    expect(real.size).toBeGreaterThan(100);
    expect([...real.values()].every((module) => module.startsWith(`core${path.sep}`))).toBe(true);
  });
});
