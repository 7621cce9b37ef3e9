/**
 * Where a submit's and a list's CPU goes (issue 12): the handlers in this process, one request at a
 * time, on a SQLite store holding `BENCH_STORED_CLAIMS` claims (default 100,000; seeded as the server
 * bench seeds them, or the store already under `BENCH_DATA_DIR` when it has one). Each request is
 * what the local server does for it: the body parsed from JSON, the caller resolved from the store,
 * `invoke`, the answer serialised. Prints the CPU milliseconds per submit, per list and per page of the
 * review queue (process CPU, user + system, over `BENCH_PROFILE_RUNS` requests each, default 300) and the frames with the
 * most self time in a V8 CPU profile of each (node:inspector); then the same for the outbox drain that
 * cards the submitted claims. `BENCH_PROFILE_DIR` keeps the .cpuprofile files (open them in Chrome DevTools).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import path from 'node:path';
import { SQLITE_FILE, SqliteStore } from '../server/adapters/sql/sqlite';
import { claimsFunction } from '../server/handlers/claims';
import { invoke, type FunctionDefinition } from '../server/handlers/framework';
import { reviewFunction } from '../server/handlers/review';
import { drainWith } from '../server/handlers/notify';
import { RecordingNotifier } from '../server/notifications/notifier';
import { localTemplateIds } from '../server/notifications/templates';
import { resolveCaller } from '../server/identity';
import { seedDevStaff } from '../server/local/devLogin';
import { jpegBytes, recentDate, uploadMaterials, validForm, requiredMaterialIds } from '../test/support/fixtures';
import { callers, tempDir } from '../test/support/ports';
import { seed } from './server.bench';
import { benchPorts } from './storeCalls';

const STORED_CLAIMS = Number(process.env.BENCH_STORED_CLAIMS ?? 100_000);
const RUNS = Number(process.env.BENCH_PROFILE_RUNS ?? 300);

function post(session: Session, method: string, params: object = {}): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

/** Self time per function (name, file:line) of a V8 CPU profile, in % of the samples, most first. */
function selfTimes(profile: Profiler.Profile): Array<{ frame: string; percent: number }> {
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples?.length ?? 0;
  const byFrame = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? `${path.relative(process.cwd(), url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
    const frame = `${functionName || '(anonymous)'} ${file}`.trim();
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + (hits.get(node.id) ?? 0));
  }
  return [...byFrame.entries()]
    .map(([frame, count]) => ({ frame, percent: (count / total) * 100 }))
    .sort((a, b) => b.percent - a.percent);
}

export async function run(): Promise<void> {
  const given = process.env.BENCH_DATA_DIR;
  const dataDir = given ?? tempDir('yb-profile-');
  if (!existsSync(path.join(dataDir, SQLITE_FILE))) {
    mkdirSync(dataDir, { recursive: true });
    await seed('sqlite', dataDir, STORED_CLAIMS);
  }
  const store = SqliteStore.open(dataDir);
  await seedDevStaff(store);
  const ports = benchPorts(store);
  const form = validForm({
    insured: { ...validForm().insured, name: '李四' },
    payout: { ...validForm().payout, holderName: '李四' },
    visit: { visitDate: recentDate(10) },
  });
  const required = requiredMaterialIds(form);
  const materials = await uploadMaterials(ports.files, callers.lisi.openid, required);
  const stamp = Date.now().toString(36);
  // Each claim its own receipt photo (the same photo twice is refused as a duplicate, also across runs on one store).
  const invoices = await Promise.all(
    Array.from({ length: 2 * RUNS + 20 }, async (_, index) => {
      const photo = await jpegBytes(`invoice ${stamp} ${index}`);
      return (await ports.files.put(callers.lisi.openid, 'invoice.jpg', 'image/jpeg', photo)).fileID;
    }),
  );
  /** One request as the local server handles it: JSON in, the caller from the store, invoke, JSON out. */
  const request = async (
    openid: string,
    body: unknown,
    definition: FunctionDefinition = claimsFunction,
  ): Promise<void> => {
    // A turn of the event loop, as between two requests on a socket: without it the loop runs in microtasks only,
    // the store's checkpoint worker is never heard from, and its own connection checkpoints on commit (a 12–17 ms
    // commit every ~38 submits, ≈ 0.35 ms a submit that the server never pays).
    await new Promise((resolve) => setImmediate(resolve));
    const caller = await resolveCaller(openid, store);
    const result = await invoke(definition, JSON.parse(JSON.stringify(body)), caller, ports);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    JSON.stringify(result);
  };
  let submitted = 0;
  const submitOnce = (): Promise<void> => {
    const index = submitted++;
    return request(callers.lisi.openid, {
      action: 'submit',
      requestId: `profile-${stamp}-${index}`,
      payload: { form: { ...form, materials: { ...materials, invoice: [invoices[index]!] } } },
    });
  };
  const listOnce = (): Promise<void> =>
    request(callers.zhangsan.openid, { action: 'listMine', payload: { page: 1, pageSize: 20 } });
  // The reviewer's queue: every open claim sorted by due date (no index gives that order: SQLite sorts them by keys).
  const queueOnce = (): Promise<void> =>
    request(callers.reviewer.openid, { action: 'queue', payload: { page: 1, pageSize: 20 } }, reviewFunction);
  const regionQueueOnce = (): Promise<void> =>
    request(
      callers.reviewer.openid,
      { action: 'queue', payload: { page: 1, pageSize: 20, region: form.insured.region } },
      reviewFunction,
    );

  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
  const keep = process.env.BENCH_PROFILE_DIR;
  if (keep) mkdirSync(keep, { recursive: true });
  console.log(
    `SQLite, ${STORED_CLAIMS.toLocaleString('en')} claims stored (${dataDir}); ${RUNS} requests each, one at a time`,
  );
  for (const [name, once] of [
    ['submit', submitOnce],
    ['listMine', listOnce],
    ['review queue (open claims, by due date)', queueOnce],
    ['review queue, one region', regionQueueOnce],
  ] as const) {
    for (let index = 0; index < 10; index += 1) await once(); // warm: the policy catalog, the JIT
    const cpuBefore = process.cpuUsage();
    const began = performance.now();
    for (let index = 0; index < RUNS; index += 1) await once();
    const cpu = process.cpuUsage(cpuBefore);
    const wall = performance.now() - began;
    await post(session, 'Profiler.start');
    for (let index = 0; index < RUNS; index += 1) await once();
    const { profile } = (await post(session, 'Profiler.stop')) as { profile: Profiler.Profile };
    if (keep) writeFileSync(path.join(keep, `${name}.cpuprofile`), JSON.stringify(profile));
    console.log(
      `\n${name}: ${((cpu.user + cpu.system) / 1000 / RUNS).toFixed(2)} ms CPU per request (user ${(cpu.user / 1000 / RUNS).toFixed(2)}, system ${(cpu.system / 1000 / RUNS).toFixed(2)}), ${(wall / RUNS).toFixed(2)} ms wall`,
    );
    console.log('self time, % of samples:');
    for (const { frame, percent } of selfTimes(profile).slice(0, 25))
      console.log(`${percent.toFixed(1).padStart(6)} %  ${frame}`);
  }
  // What each submitted claim costs the server afterwards: the outbox drain (every 2 s in the local server, one page of
  // 100 claims a run) writes its card and message. CPU over the first half of its runs, a profile of the rest (the
  // profiler's sampling would inflate the CPU figure).
  const deps = {
    notifier: new RecordingNotifier(store, { now: () => ports.clock.now() }),
    templateIds: localTemplateIds,
    enqueuePages: 1,
  };
  const drainUntilEmpty = async (stopAfterCards: number): Promise<number> => {
    let cards = 0;
    for (;;) {
      const report = await drainWith(ports, deps);
      cards += report.cards;
      if ((report.cards === 0 && !report.stoppedEarly) || cards >= stopAfterCards) return cards;
    }
  };
  const drainCpu = process.cpuUsage();
  const measuredCards = await drainUntilEmpty(submitted / 2);
  const drained = process.cpuUsage(drainCpu);
  await post(session, 'Profiler.start');
  const profiledCards = await drainUntilEmpty(Number.POSITIVE_INFINITY);
  const { profile: drainProfile } = (await post(session, 'Profiler.stop')) as { profile: Profiler.Profile };
  if (keep) writeFileSync(path.join(keep, 'drain.cpuprofile'), JSON.stringify(drainProfile));
  console.log(
    `\noutbox drain after the submits: ${measuredCards} cards, ${measuredCards ? ((drained.user + drained.system) / 1000 / measuredCards).toFixed(2) : '–'} ms CPU per card (user ${(drained.user / 1000 / Math.max(measuredCards, 1)).toFixed(2)}, system ${(drained.system / 1000 / Math.max(measuredCards, 1)).toFixed(2)})`,
  );
  console.log(`self time over the next ${profiledCards} cards, % of samples:`);
  for (const { frame, percent } of selfTimes(drainProfile).slice(0, 25))
    console.log(`${percent.toFixed(1).padStart(6)} %  ${frame}`);
  session.disconnect();
  store.close();
}
