/**
 * jestWorkerExit.cjs must recognise the worker script this checkout's Jest really forks (it moved once between
 * jest-worker versions), and nothing else: a process a test forks keeps Node's ordinary exit.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isJestWorkerProcess } = require('./jestWorkerExit.cjs') as {
  isJestWorkerProcess: (scriptPath: string | undefined, env: Record<string, string | undefined>) => boolean;
};

/** The script jest-runner's jest-worker forks for each worker (ChildProcessWorker: require.resolve('./processChild')). */
function forkedWorkerScript(): string {
  const requireFromRunner = createRequire(require.resolve('jest-runner'));
  const workerBuild = path.dirname(requireFromRunner.resolve('jest-worker'));
  const candidates = [path.join(workerBuild, 'processChild.js'), path.join(workerBuild, 'workers', 'processChild.js')];
  const script = candidates.find((candidate) => fs.existsSync(candidate));
  if (!script) throw new Error(`no processChild.js under ${workerBuild}`);
  return script;
}

describe('jestWorkerExit preload', () => {
  it('recognises the worker script jest-runner forks, with a JEST_WORKER_ID', () => {
    expect(isJestWorkerProcess(forkedWorkerScript(), { JEST_WORKER_ID: '1' })).toBe(true);
  });

  it('leaves other processes alone: no JEST_WORKER_ID, or another script', () => {
    expect(isJestWorkerProcess(forkedWorkerScript(), {})).toBe(false);
    expect(isJestWorkerProcess(path.resolve('dist-server/main.cjs'), { JEST_WORKER_ID: '1' })).toBe(false);
    expect(isJestWorkerProcess(undefined, { JEST_WORKER_ID: '1' })).toBe(false);
  });
});
