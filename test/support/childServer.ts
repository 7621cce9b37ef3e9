/**
 * The local server as a separate process (exactly what `npm run serve` runs), for durability tests
 * (SIGKILL) and the load benchmark. Port 0: the server picks one and prints its URL. Its store is
 * the one `env` names (DATABASE_URL or STORE), else a fresh one of TEST_STORE's kind (SQLite by
 * default: test/support/testStore.ts); `storeEnv` says which, to read it back or to restart on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { childStoreEnv } from './testStore';

export interface ChildServer {
  base: string;
  /** What the server printed so far (stdout and stderr). */
  output(): string;
  process: ChildProcess;
  /** The store variables it was started with (DATABASE_URL, STORE; none: SQLite under DATA_DIR). */
  storeEnv: Record<string, string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const root = path.resolve(__dirname, '..', '..');

const STORE_VARIABLES = ['DATABASE_URL', 'STORE'] as const;

export async function startChildServer(
  dataDir: string,
  env: Record<string, string> = {},
  startTimeoutMs = 30_000,
): Promise<ChildServer> {
  const named = STORE_VARIABLES.filter((name) => env[name] !== undefined);
  const storeEnv =
    named.length > 0 ? Object.fromEntries(named.map((name) => [name, env[name]!])) : await childStoreEnv();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    STATIC_DIR: path.join(root, 'dist-h5'),
    ...env,
  };
  // The child's store is the one chosen here, never one the test process happens to have in its environment.
  for (const name of STORE_VARIABLES) delete childEnv[name];
  Object.assign(childEnv, storeEnv);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/local/main.ts')], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), startTimeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // It prints the address it listens on; a wildcard (0.0.0.0, [::]) is reached through loopback.
      const match = /http:\/\/(\[[0-9a-f:.]+\]|[^/:\s]+):(\d+)\//i.exec(output);
      if (match) {
        clearTimeout(timer);
        const host = match[1] === '0.0.0.0' ? '127.0.0.1' : match[1] === '[::]' ? '[::1]' : match[1]!;
        resolve({
          base: `http://${host}:${match[2]}`,
          output: () => output,
          process: child,
          storeEnv,
          kill: (signal: NodeJS.Signals = 'SIGTERM') =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill(signal);
            }),
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${output}`));
    });
  });
}
