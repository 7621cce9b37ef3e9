/**
 * The local server as a separate process (exactly what `npm run serve` runs), for durability tests
 * (SIGKILL) and the load benchmark. Port 0: the server picks one and prints its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ChildServer {
  base: string;
  /** What the server printed so far (stdout and stderr). */
  output(): string;
  process: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const root = path.resolve(__dirname, '..', '..');

export function startChildServer(dataDir: string, env: Record<string, string> = {}, startTimeoutMs = 30_000): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/local/main.ts')], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', STATIC_DIR: path.join(root, 'dist-h5'), ...env },
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
