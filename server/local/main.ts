/**
 * `npm start` ends here: open the store under DATA_DIR (default .data), serve dist-h5 and the API
 * on HOST:PORT (default 127.0.0.1:8080), print the URL and whether the dev login is on, and why:
 * on by default only on a loopback HOST; elsewhere only with DEV_LOGIN=1 (DEV_LOGIN=0: off).
 * START_TRACE=1: one line on stderr when listening — milliseconds since the process began (modules
 * loaded, store open, listening) and the CPU time spent, to see where start time goes.
 * Once listening, the receipt OCR model loads in the background (issue 13: the first photo no longer
 * waits for it) and a line says when it is ready. OCR_WARM=0: not at start, at the first photo; the
 * default under jest (JEST_WORKER_ID set), whose servers seldom read a receipt; OCR_WARM=1 forces it.
 */
import { isIPv6 } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { devLoginDecision } from './devLogin';
import { createLocalCloud } from './server';
import { uploadLimitsFrom } from '../../src/core/uploadQuota';

const modulesLoadedAt = performance.now();

/** START_TRACE=1: where the start went, in ms since the process began. */
function traceStart(marks: Record<string, number>): void {
  if (process.env.START_TRACE !== '1') return;
  const cpu = process.cpuUsage();
  console.error(
    `[start] ${Object.entries(marks)
      .map(([name, at]) => `${name} ${at.toFixed(0)} ms`)
      .join(', ')}; cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
  );
}

/** The OCR model, loaded in the background: a failure is logged, and the first photo tries again. */
function warmOcr(load: () => Promise<void>): void {
  const startedAt = performance.now();
  load().then(
    () => console.log(`票据识别模型已加载（${Math.round(performance.now() - startedAt)} ms），第一张票据不用再等模型`),
    (error: unknown) =>
      console.error(
        `票据识别模型没能预先加载，第一张票据时再加载：${error instanceof Error ? error.message : String(error)}`,
      ),
  );
}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
  const port = Number(process.env.PORT ?? '8080');
  const host = process.env.HOST ?? '127.0.0.1';
  const staticDir = path.resolve(process.env.STATIC_DIR ?? 'dist-h5');
  const devLogin = devLoginDecision(host, process.env.DEV_LOGIN);
  // POLICY_REFRESH_MS: how often the published policies are re-read (default a minute, as in the cloud).
  const policyRefreshMs = process.env.POLICY_REFRESH_MS ? Number(process.env.POLICY_REFRESH_MS) : undefined;
  if (policyRefreshMs !== undefined && !(Number.isInteger(policyRefreshMs) && policyRefreshMs >= 0))
    throw new Error('POLICY_REFRESH_MS 应为非负整数（毫秒）');
  // UPLOAD_FILES_PER_DAY, UPLOAD_MB_PER_DAY: how much one account may upload a day (default 300 photos, 300 MB).
  const uploadLimits = uploadLimitsFrom(process.env);
  const openingAt = performance.now();
  const cloud = await createLocalCloud({
    dataDir,
    staticDir,
    devLogin: devLogin.enabled,
    log: (line) => console.error(line),
    uploadLimits,
    ...(policyRefreshMs !== undefined ? { policyRefreshMs } : {}),
  });
  const createdAt = performance.now();
  cloud.server.listen(port, host, () => {
    traceStart({
      'modules loaded at': modulesLoadedAt,
      'store and ports took': createdAt - openingAt,
      'listening at': performance.now(),
    });
    const address = cloud.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    console.log(
      `医保报销助手 本地云已启动: http://${isIPv6(host) ? `[${host}]` : host}:${actualPort}/  (数据目录 ${dataDir})`,
    );
    console.log(devLogin.reason);
    if ((process.env.OCR_WARM ?? (process.env.JEST_WORKER_ID ? '0' : '1')) !== '0') warmOcr(cloud.warmOcr);
  });
  // The server, then the store (SQLite copies its WAL back into the file; PostgreSQL's pool ends); 2 s at the most.
  const stop = (): void => {
    void cloud.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('本地云启动失败:', error);
  process.exit(1);
});
