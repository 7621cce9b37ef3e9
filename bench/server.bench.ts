/**
 * Server load: the local server process (as `npm run serve` runs it) with 100,000 claims stored in
 * its store (`STORE`, default the embedded default, SQLite; `nedb`, `pglite` to compare: see
 * `npm run bench -- store`); 50 concurrent clients submit, then 50 concurrent clients list. Prints
 * p50/p95/p99 and the ratio of each p95 to the p95 of GET /api/health under the same concurrency
 * (same process, same run), the start time with the claims stored against the start time of an
 * empty store, and the server's RSS. Goals (issue 12): submit p95 ≤ 2× and list p95 ≤ 1.2× health.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { StoreKind } from '../server/adapters/selectStore';
import { openPostgresStore, pgliteDriver } from '../server/adapters/sql/postgres';
import Database from 'better-sqlite3';
import { sqlite as sqliteDialect } from '../server/adapters/sql/dialect';
import { tableStatement } from '../server/adapters/sql/schema';
import { SQLITE_FILE, SqliteStore } from '../server/adapters/sql/sqlite';
import type { Store, StoredDoc } from '../server/ports';
import { buildServer, SERVER_BUNDLE } from '../scripts/build-server';
import { checklistOf } from '../src/core/contracts/claim';
import { claimsFunction } from '../server/handlers/claims';
import { invoke } from '../server/handlers/framework';
import { backfillClaimFacts, JOBS } from '../server/claims/dashboardFacts';
import type { ReminderCursorDoc } from '../server/notifications/reminders';
import type { ReceiptReadingDoc } from '../server/receipts/readings';
import { storedKey } from '../server/receipts/registry';
import { readOcrResult } from '../src/core/receipt';
import { jpegBytes, recentDate, uploadMaterials, validForm, requiredMaterialIds } from '../test/support/fixtures';
import { callers, FixedClock, tempDir } from '../test/support/ports';
import { benchPorts } from './storeCalls';

const STORED_CLAIMS = Number(process.env.BENCH_STORED_CLAIMS ?? 100_000);
const CLIENTS = 50;
const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 2000);
const LISTS = Number(process.env.BENCH_LISTS ?? 5000);
/**
 * Requests of each kind sent before the timed ones, not timed, so that both sides run compiled code:
 * over the first 2,500 submits V8 was still compiling the server's code on its background threads
 * (0.3 ms of CPU a submit, 656 ms in 2,000), and the clients' fetch cost 0.63 ms a health check after
 * 500 requests, 0.32 after 2,000.
 */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 2000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(samples: number[] & { perSecond?: number }): {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    perSecond: samples.perSecond ?? Number.NaN,
  };
}

async function measure(
  count: number,
  clients: number,
  once: (index: number) => Promise<void>,
): Promise<number[] & { perSecond?: number }> {
  const samples: number[] & { perSecond?: number } = [];
  const began = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        const started = performance.now();
        await once(index);
        samples.push(performance.now() - started);
      }
    }),
  );
  samples.perSecond = (count / (performance.now() - began)) * 1000;
  return samples;
}

/** One submitted claim as the server stores it (a real submission through the handler), to clone. */
async function templateClaim(): Promise<Record<string, unknown>> {
  // Today's clock: a visit after the clock's today is refused, and the form's dates are relative to now.
  const now = new Date();
  const ports = benchPorts(SqliteStore.open(null), new FixedClock(now));
  const form = validForm({ visit: { visitDate: recentDate(10, now) } });
  const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
  const submitted = await invoke(
    claimsFunction,
    { action: 'submit', payload: { form: { ...form, materials } }, requestId: 'bench-template-1' },
    callers.zhangsan,
    ports,
  );
  if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
  return (await ports.store.collection('claims').get((submitted.data as { id: string }).id)) as unknown as Record<
    string,
    unknown
  >;
}

function* benchClaims(template: Record<string, unknown>, count: number): Generator<StoredDoc> {
  const now = Date.now();
  for (let index = 0; index < count; index += 1) {
    // 20 claims belong to 张三 (the list bench's reader); the rest to 10,000 other people.
    const owner = index < 20 ? callers.zhangsan.openid : `bench-openid-${index % 10_000}`;
    const at = new Date(now - index * 60_000).toISOString();
    const due = new Date(now + ((index % 365) - 180) * 86_400_000).toISOString();
    // As a running system holds them: notifications already sent (the outbox drained).
    yield {
      ...template,
      _id: `bench${String(index).padStart(27, '0')}`,
      _openid: owner,
      requestId: `bench-${index}`,
      submitRequestId: `bench-${index}`,
      createdAt: at,
      updatedAt: at,
      submittedAt: at,
      dueDate: due,
      notifyPending: false,
      notifiedSeq: 1,
    } as StoredDoc;
  }
}

async function seedThroughStore(store: Store, docs: Iterable<StoredDoc>, batch = 1000): Promise<void> {
  let pending: StoredDoc[] = [];
  const flush = async (): Promise<void> => {
    const slice = pending;
    pending = [];
    await store.transaction(async (tx) => {
      for (const doc of slice) await tx.set('claims', doc);
    });
  };
  for (const doc of docs) {
    pending.push(doc);
    if (pending.length >= batch) await flush();
  }
  if (pending.length > 0) await flush();
}

/**
 * The dashboard facts of every seeded claim, as `npm run migrate` writes them on an upgrade (nedb: not written,
 * its dashboard reads the claims).
 */
async function writeEveryFact(store: Store): Promise<void> {
  const started = performance.now();
  const ports = benchPorts(store);
  let written = 0;
  for (;;) {
    const run = await backfillClaimFacts(ports, { pages: 100 });
    written += run.written;
    if (run.complete) break;
  }
  console.log(
    `dashboard facts of ${written.toLocaleString('en')} claims written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/**
 * The reminder queries' cursors where a running system has them: every claim filed before now already reminded
 * (the seeded claims await their originals; without this the drain would work through 90,000 reminders during the
 * timed requests, 1,000 every 2 s).
 */
async function remindersDoneUntilNow(store: Store): Promise<void> {
  const at = new Date().toISOString();
  await store.transaction(async (tx) => {
    for (const job of ['reminders.originals', 'reminders.supplement'])
      await tx.set<ReminderCursorDoc>(JOBS, { _id: job, value: at, lastId: null, at });
  });
}

/**
 * As the app does before it submits — `receipts.read` of every receipt photo, not timed — each invoice's reading is
 * stored, so that a submit does not read the photo's QR code itself (what a client that skips `receipts.read` costs:
 * ≈ 16 ms of CPU a photo). The reading is the one `receipts.read` stores for a photo where neither text nor a QR code
 * was found (running the OCR model on 5,000 photos would take the bench minutes). Written through a second connection
 * to the server's SQLite file, which WAL allows; PGlite and nedb have one process only, so there the submits read the
 * QR codes (printed with their figures).
 */
function storeReadings(dataDir: string, owner: string, fileIDs: readonly string[]): void {
  const db = new Database(path.join(dataDir, SQLITE_FILE));
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(`INSERT INTO ${sqliteDialect.table('receiptReadings')} (_id, doc) VALUES (?, ?)`);
  const { qr, extracted, crossCheck } = readOcrResult([]);
  const readAt = new Date().toISOString();
  db.transaction(() => {
    for (const fileID of fileIDs) {
      const doc: ReceiptReadingDoc = {
        _id: storedKey(fileID),
        _openid: owner,
        fileID,
        identity: null,
        reading: {
          qr,
          extracted,
          crossCheck,
          ocrLines: [],
          qrRead: null,
          image: { format: 'jpeg', width: 320, height: 200 },
          timings: { qrMs: 0, ocrMs: 0, totalMs: 0 },
        },
        readAt,
      };
      insert.run(doc._id, JSON.stringify(doc));
    }
  })();
  db.close();
}

/** Writes `count` submitted claims, cloned from one real submission, into the `kind` store under `dataDir`. */
export async function seed(kind: StoreKind, dataDir: string, count: number): Promise<void> {
  const template = await templateClaim();
  if (kind === 'nedb') {
    // nedb's datafile is one JSON document per line: written straight, as nedb would append them.
    const out = createWriteStream(path.join(dataDir, 'claims.db'));
    for (const doc of benchClaims(template, count))
      if (!out.write(`${JSON.stringify(doc)}\n`)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
  } else if (kind === 'sqlite') {
    // Straight into the table before the indexes exist (built once, sorted, when the store opens and
    // migrates): minutes through the store's transactions at 100,000 claims, seconds this way.
    const db = new Database(path.join(dataDir, SQLITE_FILE));
    db.pragma('journal_mode = WAL');
    db.exec(tableStatement(sqliteDialect, 'claims'));
    const insert = db.prepare(`INSERT INTO ${sqliteDialect.table('claims')} (_id, doc) VALUES (?, ?)`);
    const batch = db.transaction((docs: StoredDoc[]) => {
      for (const doc of docs) insert.run(doc._id, JSON.stringify(doc));
    });
    let pending: StoredDoc[] = [];
    for (const doc of benchClaims(template, count)) {
      pending.push(doc);
      if (pending.length === 10_000) {
        batch(pending);
        pending = [];
      }
    }
    batch(pending);
    db.close();
    const store = SqliteStore.open(dataDir);
    await writeEveryFact(store);
    await remindersDoneUntilNow(store);
    store.close();
  } else if (kind === 'pglite') {
    const store = await openPostgresStore(await pgliteDriver(path.join(dataDir, 'pglite')));
    await seedThroughStore(store, benchClaims(template, count));
    await writeEveryFact(store);
    await remindersDoneUntilNow(store);
    await store.driver.query('CHECKPOINT');
    await store.close();
  } else {
    throw new Error(`the server bench seeds nedb, sqlite or pglite, not ${kind}`);
  }
  console.log(
    `seeded ${count.toLocaleString('en')} claims (${Math.round(JSON.stringify(template).length / 102.4) / 10} KB each) into ${kind}`,
  );
}

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(full) : statSync(full).size;
  }
  return total;
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** CPU the process has used (all its threads, user + system), in ms: /proc/<pid>/stat, in clock ticks of 10 ms. */
function cpuMsOf(pid: number, thread?: number): number {
  // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th.
  const file = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** `work` measured, with the CPU the server and the clients used meanwhile per request (steadier than latency on a shared machine). */
async function withCpuPerRequest(
  pid: number,
  count: number,
  work: () => Promise<number[] & { perSecond?: number }>,
): Promise<Figures> {
  const before = cpuMsOf(pid);
  const mainBefore = cpuMsOf(pid, pid);
  const clientBefore = process.cpuUsage();
  const samples = await work();
  const client = process.cpuUsage(clientBefore);
  return {
    ...summary(samples),
    serverCpuMs: (cpuMsOf(pid) - before) / count,
    serverMainThreadCpuMs: (cpuMsOf(pid, pid) - mainBefore) / count,
    clientCpuMs: (client.user + client.system) / 1000 / count,
  };
}

export interface Figures {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  /** The server's CPU time per request during the run (ms, all its threads). */
  serverCpuMs?: number;
  /** Of which its main thread's (JavaScript and SQLite's statements; the rest: WAL checkpoints, GC helpers, libuv). */
  serverMainThreadCpuMs?: number;
  /** This process's (the 50 clients') CPU time per request: what bounds the health figure on 2 cores. */
  clientCpuMs?: number;
}

export interface ServerFigures {
  kind: StoreKind;
  storedClaims: number;
  /** Seconds from spawn to listening: with the claims stored, and with an empty data directory (same store kind). */
  startSeconds: number;
  emptyStartSeconds: number;
  rssAfterStartMb: number;
  rssAfterLoadMb: number;
  peakRssMb: number;
  dataMb: number;
  health: Figures;
  submit: Figures;
  list: Figures;
  /**
   * The three kinds at once, as the service meets them: 50 clients whose requests are, in every ten, 2 submits,
   * 5 lists and 3 health checks. Each kind's p95 here includes waiting behind the others, health's too, so the
   * ratio says how much longer a claimant waits for a submit than for the server's cheapest answer under the same
   * load. The phases above measure each kind alone, where the ratio is their costs' ratio.
   */
  mixed: { health: Figures; submit: Figures; list: Figures; perSecond: number };
  /** The reviewers' dashboard over every stored claim, once, while one client keeps checking health. */
  dashboard: { ms: number; healthChecks: number; healthP50Ms: number; healthMaxMs: number };
}

interface BenchServer {
  base: string;
  process: ChildProcess;
  kill(): Promise<void>;
}

/** The server as `npm run serve` runs it (scripts/build-server.ts's bundle under plain Node), timed from spawn to its URL printed. */
async function startTimed(dataDir: string, kind: StoreKind): Promise<{ server: BenchServer; seconds: number }> {
  const started = performance.now();
  // OCR_WARM=0: no receipt is read here; the OCR model loading in the background would weigh on every figure.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    STORE: kind,
    OCR_WARM: '0',
    STATIC_DIR: path.join(__dirname, '..', 'dist-h5'),
    // One bench account uploads an invoice for every timed submit (thousands in a day): past the product's daily limit.
    UPLOAD_FILES_PER_DAY: '1000000',
    UPLOAD_MB_PER_DAY: '100000',
  };
  delete env.DATABASE_URL;
  // BENCH_SERVER_PROFILE_DIR: the server writes a V8 CPU profile of its whole run there on exit (open in Chrome DevTools).
  const profileDir = process.env.BENCH_SERVER_PROFILE_DIR;
  const profiling = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-interval', '200'] : [];
  // BENCH_SERVER_NODE_FLAGS: more flags for the server's node (e.g. `--no-concurrent-recompilation` puts V8's compiling on its main thread).
  const child = spawn(
    process.execPath,
    [...profiling, ...(process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean), SERVER_BUNDLE],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/[^/\s]+:\d+/.exec(output);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${output}`)));
  });
  const seconds = (performance.now() - started) / 1000;
  const kill = (): Promise<void> =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return { server: { base, process: child, kill }, seconds };
}

/** Seeds `storedClaims` into a fresh `kind` store, starts the server on it and measures it under load. */
export async function measureServer(
  kind: StoreKind,
  storedClaims: number,
  counts: { submits: number; lists: number } = { submits: SUBMITS, lists: LISTS },
): Promise<ServerFigures> {
  await buildServer();
  const emptyDir = tempDir('yb-bench-empty-');
  const empty = await startTimed(emptyDir, kind);
  await empty.server.kill();
  rmSync(emptyDir, { recursive: true, force: true });
  const dataDir = tempDir('yb-bench-');
  await seed(kind, dataDir, storedClaims);
  const { server, seconds } = await startTimed(dataDir, kind);
  const afterStart = memoryOf(server.process.pid!);
  try {
    const login = async (user: string): Promise<string> =>
      (
        (await (
          await fetch(`${server.base}/api/dev/login`, { method: 'POST', body: JSON.stringify({ user }) })
        ).json()) as { data: { token: string } }
      ).data.token;
    const reader = await login('zhangsan');
    const writer = await login('lisi');
    const form = validForm({
      insured: { ...validForm().insured, name: '李四' },
      payout: { ...validForm().payout, holderName: '李四' },
      visit: { visitDate: recentDate(10) },
    });
    const materials: Record<string, string[]> = {};
    for (const item of checklistOf(form as never, true).filter((entry) => entry.required)) {
      const upload = await fetch(`${server.base}/api/files?name=${item.id}.jpg`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${writer}` },
        body: new Uint8Array(await jpegBytes(item.id)),
      });
      materials[item.id] = [((await upload.json()) as { data: { fileID: string } }).data.fileID];
    }
    const post = async (token: string, body: unknown, fn = 'claims'): Promise<void> => {
      const response = await fetch(`${server.base}/api/fn/${fn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const envelope = (await response.json()) as { ok: boolean; error?: unknown };
      if (!envelope.ok) throw new Error(JSON.stringify(envelope.error));
    };
    await measure(WARM_UP, CLIENTS, async () => void (await fetch(`${server.base}/api/health`)).arrayBuffer());
    const pid = server.process.pid!;
    const health = await withCpuPerRequest(pid, 2000, () =>
      measure(2000, CLIENTS, async () => void (await (await fetch(`${server.base}/api/health`)).arrayBuffer())),
    );
    // Every claim has its own receipt photo (the same receipt twice is refused as a duplicate): uploaded before, not timed.
    const mixedSubmits = (MIXED * MIX.filter((kind) => kind === 'submit').length) / MIX.length;
    const invoices: string[] = [];
    for (let index = 0; index < WARM_UP + counts.submits + mixedSubmits; index += 1) {
      const upload = await fetch(`${server.base}/api/files?name=invoice.jpg`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${writer}` },
        body: new Uint8Array(await jpegBytes(`invoice ${index}`)),
      });
      invoices.push(((await upload.json()) as { data: { fileID: string } }).data.fileID);
    }
    if (kind === 'sqlite') storeReadings(dataDir, callers.lisi.openid, invoices);
    const submitOne = (index: number): Promise<void> =>
      post(writer, {
        action: 'submit',
        requestId: `bench-submit-${index}`,
        payload: { form: { ...form, materials: { ...materials, invoice: [invoices[index]!] } } },
      });
    // Warmed up as the health check is (WARM_UP), not timed.
    await measure(WARM_UP, CLIENTS, (index) => submitOne(counts.submits + index));
    const submit = await withCpuPerRequest(pid, counts.submits, () => measure(counts.submits, CLIENTS, submitOne));
    const listOne = (): Promise<void> => post(reader, { action: 'listMine', payload: { page: 1, pageSize: 20 } });
    await measure(WARM_UP, CLIENTS, listOne);
    const list = await withCpuPerRequest(pid, counts.lists, () => measure(counts.lists, CLIENTS, listOne));
    const mixed = await measureMixed(
      (index) => submitOne(WARM_UP + counts.submits + index),
      listOne,
      async () => void (await (await fetch(`${server.base}/api/health`)).arrayBuffer()),
    );
    const dashboard = await dashboardWhileHealthChecked(server.base, () =>
      login('reviewer').then((staff) => post(staff, { action: 'dashboard', payload: {} }, 'review')),
    );
    const afterLoad = memoryOf(server.process.pid!);
    return {
      kind,
      storedClaims,
      startSeconds: seconds,
      emptyStartSeconds: empty.seconds,
      rssAfterStartMb: afterStart.rssMb,
      rssAfterLoadMb: afterLoad.rssMb,
      peakRssMb: afterLoad.peakMb,
      dataMb: bytesUnder(dataDir) / 1024 / 1024,
      health,
      submit,
      list,
      mixed,
      dashboard,
    };
  } finally {
    await server.kill();
    // The seeded store is ≈ 0.9 GB at 100,000 claims: BENCH_KEEP_DATA=1 keeps it (e.g. for `BENCH_DATA_DIR` of the profile).
    if (!process.env.BENCH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    else console.log(`kept the seeded store: ${dataDir}`);
  }
}

/** In every ten requests of the mixed run, in this order: 2 submits, 5 lists, 3 health checks. */
const MIX = ['list', 'submit', 'list', 'health', 'list', 'health', 'list', 'submit', 'list', 'health'] as const;
/** Requests in the mixed run (a multiple of ten; 0: not run). */
const MIXED = Number(process.env.BENCH_MIXED ?? 5000);
if (!Number.isInteger(MIXED / MIX.length) || MIXED < 0)
  throw new Error(`BENCH_MIXED=${MIXED}: a multiple of ${MIX.length}, or 0`);

/** The mixed run: `MIXED` requests by 50 clients, each the next of `MIX`; every kind's latencies kept apart. */
async function measureMixed(
  submitOne: (index: number) => Promise<void>,
  listOne: () => Promise<void>,
  healthOne: () => Promise<void>,
): Promise<ServerFigures['mixed']> {
  const samples = { health: [] as number[], submit: [] as number[], list: [] as number[] };
  let submits = 0;
  const all = await measure(MIXED, CLIENTS, async (index) => {
    const kind = MIX[index % MIX.length]!;
    const started = performance.now();
    if (kind === 'submit') await submitOne((submits += 1) - 1);
    else if (kind === 'list') await listOne();
    else await healthOne();
    samples[kind].push(performance.now() - started);
  });
  return {
    health: summary(samples.health),
    submit: summary(samples.submit),
    list: summary(samples.list),
    perSecond: all.perSecond ?? Number.NaN,
  };
}

/** How long `dashboard` takes, and what one client checking health meanwhile (one at a time) waited. */
async function dashboardWhileHealthChecked(
  base: string,
  dashboard: () => Promise<void>,
): Promise<ServerFigures['dashboard']> {
  const began = performance.now();
  let ms: number | null = null;
  const running = dashboard().then(() => void (ms = performance.now() - began));
  const waits: number[] = [];
  while (ms === null) {
    const started = performance.now();
    await (await fetch(`${base}/api/health`)).arrayBuffer();
    waits.push(performance.now() - started);
  }
  await running;
  waits.sort((a, b) => a - b);
  return { ms, healthChecks: waits.length, healthP50Ms: percentile(waits, 50), healthMaxMs: waits[waits.length - 1]! };
}

export function printServerFigures(figures: ServerFigures): void {
  const { health } = figures;
  const row = (name: string, measured: Figures, goal: number | null): string =>
    `${name.padEnd(22)} ${measured.perSecond.toFixed(0).padStart(5)}/s  p50 ${measured.p50.toFixed(1).padStart(6)} ms  p95 ${measured.p95.toFixed(1).padStart(6)} ms  p99 ${measured.p99.toFixed(1).padStart(6)} ms  p95/health ${(measured.p95 / health.p95).toFixed(2).padStart(5)}×${goal === null ? '' : `  goal ≤ ${goal}×: ${measured.p95 / health.p95 <= goal ? 'met' : 'NOT met'}`}${measured.serverCpuMs === undefined ? '' : `  CPU ms/request: server ${measured.serverCpuMs.toFixed(2)} (main thread ${measured.serverMainThreadCpuMs?.toFixed(2)}), clients ${measured.clientCpuMs?.toFixed(2)}`}`;
  console.log(
    `${figures.kind}: ${CLIENTS} concurrent clients, ${figures.storedClaims.toLocaleString('en')} claims stored (${figures.dataMb.toFixed(0)} MB on disk)`,
  );
  console.log(
    `start ${figures.startSeconds.toFixed(1)} s (empty store: ${figures.emptyStartSeconds.toFixed(1)} s, ratio ${(figures.startSeconds / figures.emptyStartSeconds).toFixed(2)}); RSS ${figures.rssAfterStartMb.toFixed(0)} MB after start, ${figures.rssAfterLoadMb.toFixed(0)} MB after the load, peak ${figures.peakRssMb.toFixed(0)} MB`,
  );
  console.log(row('GET /api/health (base)', health, null));
  console.log(row('submit', figures.submit, 2));
  console.log(row('listMine', figures.list, 1.2));
  const { mixed } = figures;
  const mixedRow = (name: string, measured: Figures): string =>
    `  ${name.padEnd(8)} p50 ${measured.p50.toFixed(1).padStart(6)} ms  p95 ${measured.p95.toFixed(1).padStart(6)} ms  p99 ${measured.p99.toFixed(1).padStart(6)} ms  p95/health ${(measured.p95 / mixed.health.p95).toFixed(2)}×`;
  if (MIXED < MIX.length) console.log('mixed: not run (BENCH_MIXED=0)');
  else {
    console.log(
      `mixed, in every ten requests 2 submits, 5 lists, 3 health checks (${MIXED} requests, ${mixed.perSecond.toFixed(0)}/s):`,
    );
    console.log(mixedRow('health', mixed.health));
    console.log(mixedRow('submit', mixed.submit));
    console.log(mixedRow('listMine', mixed.list));
  }
  const { dashboard } = figures;
  console.log(
    `dashboard (reviewer)   ${dashboard.ms.toFixed(0)} ms over every claim; meanwhile ${dashboard.healthChecks} health checks one after another: p50 ${dashboard.healthP50Ms.toFixed(1)} ms, slowest ${dashboard.healthMaxMs.toFixed(1)} ms`,
  );
}

export async function run(): Promise<void> {
  const kind = (process.env.STORE ?? 'sqlite') as StoreKind;
  printServerFigures(await measureServer(kind, STORED_CLAIMS));
}
