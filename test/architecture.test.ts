/** The arrows point inward: src/core imports nothing platform-specific (no Taro, no wx, no Node). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

const importPattern =
  /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
const forbidden = (specifier: string): boolean =>
  specifier.startsWith('@tarojs/') ||
  specifier === 'wx-server-sdk' ||
  specifier.startsWith('node:') ||
  builtinModules.includes(specifier.split('/')[0]!) ||
  /(^|\/)(server|services|pages|components|cloudfunctions)\//.test(specifier);

describe('src/core stays platform-free', () => {
  const coreDir = path.join(__dirname, '..', 'src', 'core');
  const files = sourceFiles(coreDir).filter((file) => !/\.test\.ts$/.test(file));

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files.map((file) => [path.relative(coreDir, file), file]))(
    '%s imports no Taro, wx, Node or outer room',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const offenders = [...text.matchAll(importPattern)]
        .map((match) => match[1] ?? match[2] ?? match[3] ?? '')
        .filter(forbidden);
      expect(offenders).toEqual([]);
    },
  );

  it('the checker itself catches a forbidden import', () => {
    const sample = "import Taro from '@tarojs/taro';\nimport fs from 'fs';\nimport { x } from './ok';";
    const offenders = [...sample.matchAll(importPattern)].map((match) => match[1] ?? '').filter(forbidden);
    expect(offenders).toEqual(['@tarojs/taro', 'fs']);
  });
});
