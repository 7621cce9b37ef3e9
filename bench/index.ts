/**
 * `npm run bench`: every part measures itself against a baseline run in the same process and prints
 * the ratio, so figures are comparable across machines. Parts: `npm run bench -- rules receipts`.
 */
import { performance } from 'node:perf_hooks';

interface BenchPart {
  name: string;
  load: () => Promise<{ run: () => Promise<void> }>;
}

const parts: BenchPart[] = [
  { name: 'rules', load: () => import('./rules.bench') },
  { name: 'receipts', load: () => import('./receipts.bench') },
  { name: 'compression', load: () => import('./compression.bench') },
  { name: 'server', load: () => import('./server.bench') },
  { name: 'store', load: () => import('./store.bench') },
  { name: 'profile', load: () => import('./profile.bench') },
  { name: 'h5', load: () => import('./h5.bench') },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const part of parts) {
    if (wanted.length > 0 && !wanted.includes(part.name)) continue;
    let mod: { run: () => Promise<void> };
    try {
      mod = await part.load();
    } catch (error) {
      if (
        (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' ||
        /Cannot find module/.test(String(error))
      ) {
        console.log(`\n## ${part.name}: (not built yet)`);
        continue;
      }
      throw error;
    }
    console.log(`\n## ${part.name}`);
    const started = performance.now();
    await mod.run();
    console.log(`(${part.name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
