/**
 * Store comparison (issue 12): the same server load (bench/server.bench.ts) on each store kind —
 * SQLite (the embedded default), PGlite and nedb — with the same number of claims stored. Prints,
 * per store: start time (against the same store's empty start, same run), RSS after start and after
 * the load, data on disk, and submit/list p50 and p95 as ratios to GET /api/health's p95 measured
 * against that same server under the same 50 clients.
 * `BENCH_STORES=sqlite,pglite` picks stores; `BENCH_STORED_CLAIMS` (default 100,000), `BENCH_SUBMITS`, `BENCH_LISTS` the sizes.
 * First, the store calls each action of a claim's life makes (bench/storeCalls.ts): the round trips
 * it would cost in the WeChat cloud.
 */
import type { StoreKind } from '../server/adapters/selectStore';
import { measureServer, printServerFigures, type ServerFigures } from './server.bench';
import { printStoreCalls, storeCallsPerAction } from './storeCalls';

const STORED_CLAIMS = Number(process.env.BENCH_STORED_CLAIMS ?? 100_000);
const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 1000);
const LISTS = Number(process.env.BENCH_LISTS ?? 3000);
const KINDS = (process.env.BENCH_STORES ?? 'sqlite,pglite,nedb').split(',').map((kind) => kind.trim()) as StoreKind[];

export async function run(): Promise<void> {
  printStoreCalls(await storeCallsPerAction());
  const results: ServerFigures[] = [];
  for (const kind of KINDS) {
    const figures = await measureServer(kind, STORED_CLAIMS, { submits: SUBMITS, lists: LISTS });
    printServerFigures(figures);
    results.push(figures);
  }
  const ratio = (value: number, base: number): string => `${(value / base).toFixed(2)}×`;
  console.log(
    `\n${STORED_CLAIMS.toLocaleString('en')} claims stored; ratios to the same server's /api/health p95 (goals: start ≤ 1 s, RSS ≤ 300 MB, submit p95 ≤ 2×, list p95 ≤ 1.2×)`,
  );
  console.log(
    '| store | start (empty) | RSS start / after load | on disk | health p95 | submit p50 / p95 | list p50 / p95 |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const figures of results) {
    const base = figures.health.p95;
    console.log(
      `| ${figures.kind} | ${figures.startSeconds.toFixed(1)} s (${figures.emptyStartSeconds.toFixed(1)} s) | ${figures.rssAfterStartMb.toFixed(0)} / ${figures.rssAfterLoadMb.toFixed(0)} MB | ${figures.dataMb.toFixed(0)} MB | ${base.toFixed(1)} ms | ${ratio(figures.submit.p50, base)} / ${ratio(figures.submit.p95, base)} (${figures.submit.p95.toFixed(1)} ms) | ${ratio(figures.list.p50, base)} / ${ratio(figures.list.p95, base)} (${figures.list.p95.toFixed(1)} ms) |`,
    );
  }
}
