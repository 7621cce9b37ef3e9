/**
 * `npm start` ends here: open the store under DATA_DIR (default .data), serve dist-h5 and the API
 * on 127.0.0.1:PORT (default 8080), print the URL.
 */
import path from 'node:path';
import { createLocalCloud } from './server';

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
  const port = Number(process.env.PORT ?? '8080');
  const host = process.env.HOST ?? '127.0.0.1';
  const staticDir = path.resolve(process.env.STATIC_DIR ?? 'dist-h5');
  const cloud = await createLocalCloud({ dataDir, staticDir, log: (line) => console.error(line) });
  cloud.server.listen(port, host, () => {
    const address = cloud.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    console.log(`医保报销助手 本地云已启动: http://${host}:${actualPort}/  (数据目录 ${dataDir})`);
  });
  const stop = (): void => {
    cloud.server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('本地云启动失败:', error);
  process.exit(1);
});
