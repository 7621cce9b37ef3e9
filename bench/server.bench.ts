/**
 * Server load: the local server process (as `npm run serve` runs it) with 100,000 claims stored;
 * 50 concurrent clients submit, then 50 concurrent clients list. Prints p50/p95/p99 and the ratio
 * of each p95 to the p95 of GET /api/health under the same concurrency (same process, same run).
 * Goals: submit p95 ≤ 50 ms, list p95 ≤ 20 ms.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { checklistOf } from '../src/core/contracts/claim';
import { claimsFunction } from '../server/handlers/claims';
import { invoke } from '../server/handlers/framework';
import { startChildServer } from '../test/support/childServer';
import { jpegBytes, recentDate, uploadMaterials, validForm } from '../test/support/fixtures';
import { callers, embeddedPorts, tempDir } from '../test/support/ports';

const STORED_CLAIMS = Number(process.env.BENCH_STORED_CLAIMS ?? 100_000);
const CLIENTS = 50;
const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 2000);
const LISTS = Number(process.env.BENCH_LISTS ?? 5000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(samples: number[] & { perSecond?: number }): { p50: number; p95: number; p99: number; perSecond: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), perSecond: samples.perSecond ?? Number.NaN };
}

async function measure(count: number, clients: number, once: (index: number) => Promise<void>): Promise<number[] & { perSecond?: number }> {
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

/** Writes `count` submitted claims straight into the datafile, cloned from one real submission. */
async function seed(dataDir: string, count: number): Promise<void> {
  const ports = await embeddedPorts();
  const form = validForm({ visit: { visitDate: recentDate(10) } });
  const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, checklistOf(form as never, true).filter((item) => item.required).map((item) => item.id));
  const submitted = await invoke(claimsFunction, { action: 'submit', payload: { form: { ...form, materials } }, requestId: 'bench-template-1' }, callers.zhangsan, ports);
  if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
  const template = (await ports.store.collection('claims').get((submitted.data as { id: string }).id)) as unknown as Record<string, unknown>;
  const out = createWriteStream(path.join(dataDir, 'claims.db'));
  for (let index = 0; index < count; index += 1) {
    // 20 claims belong to 张三 (the list bench's reader); the rest to 10,000 other people.
    const owner = index < 20 ? callers.zhangsan.openid : `bench-openid-${index % 10_000}`;
    const at = new Date(Date.now() - index * 60_000).toISOString();
    const due = new Date(Date.now() + ((index % 365) - 180) * 86_400_000).toISOString();
    // As a running system holds them: notifications already sent (the outbox drained).
    const doc = { ...template, _id: `bench${String(index).padStart(27, '0')}`, _openid: owner, requestId: `bench-${index}`, submitRequestId: `bench-${index}`, createdAt: at, updatedAt: at, submittedAt: at, dueDate: due, notifyPending: false, notifiedSeq: 1 };
    if (!out.write(`${JSON.stringify(doc)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  console.log(`seeded ${count.toLocaleString('en')} claims (${Math.round(JSON.stringify(template).length / 102.4) / 10} KB each)`);
}

export async function run(): Promise<void> {
  const dataDir = tempDir('yb-bench-');
  await seed(dataDir, STORED_CLAIMS);
  const started = performance.now();
  const server = await startChildServer(dataDir, {}, 600_000);
  console.log(`server ready with ${STORED_CLAIMS.toLocaleString('en')} claims in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  try {
    const login = async (user: string): Promise<string> => ((await (await fetch(`${server.base}/api/dev/login`, { method: 'POST', body: JSON.stringify({ user }) })).json()) as { data: { token: string } }).data.token;
    const reader = await login('zhangsan');
    const writer = await login('lisi');
    const form = validForm({ insured: { ...validForm().insured, name: '李四' }, payout: { ...validForm().payout, holderName: '李四' }, visit: { visitDate: recentDate(10) } });
    const materials: Record<string, string[]> = {};
    for (const item of checklistOf(form as never, true).filter((entry) => entry.required)) {
      const upload = await fetch(`${server.base}/api/files?name=${item.id}.jpg`, { method: 'POST', headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${writer}` }, body: new Uint8Array(await jpegBytes(item.id)) });
      materials[item.id] = [((await upload.json()) as { data: { fileID: string } }).data.fileID];
    }
    const post = async (token: string, body: unknown): Promise<void> => {
      const response = await fetch(`${server.base}/api/fn/claims`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      const envelope = (await response.json()) as { ok: boolean; error?: unknown };
      if (!envelope.ok) throw new Error(JSON.stringify(envelope.error));
    };
    await measure(200, CLIENTS, async () => void (await fetch(`${server.base}/api/health`)).arrayBuffer());
    const health = summary(await measure(2000, CLIENTS, async () => void (await (await fetch(`${server.base}/api/health`)).arrayBuffer())));
    // Every claim has its own receipt photo (the same receipt twice is refused as a duplicate): uploaded before, not timed.
    const invoices: string[] = [];
    for (let index = 0; index < SUBMITS; index += 1) {
      const upload = await fetch(`${server.base}/api/files?name=invoice.jpg`, { method: 'POST', headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${writer}` }, body: new Uint8Array(await jpegBytes(`invoice ${index}`)) });
      invoices.push(((await upload.json()) as { data: { fileID: string } }).data.fileID);
    }
    const submit = summary(await measure(SUBMITS, CLIENTS, (index) => post(writer, { action: 'submit', requestId: `bench-submit-${index}`, payload: { form: { ...form, materials: { ...materials, invoice: [invoices[index]!] } } } })));
    const list = summary(await measure(LISTS, CLIENTS, () => post(reader, { action: 'listMine', payload: { page: 1, pageSize: 20 } })));
    const row = (name: string, figures: { p50: number; p95: number; p99: number; perSecond: number }, goal: number | null): string =>
      `${name.padEnd(22)} ${figures.perSecond.toFixed(0).padStart(5)}/s  p50 ${figures.p50.toFixed(1).padStart(6)} ms  p95 ${figures.p95.toFixed(1).padStart(6)} ms  p99 ${figures.p99.toFixed(1).padStart(6)} ms  p95/health ${(figures.p95 / health.p95).toFixed(1).padStart(5)}×${goal === null ? '' : `  goal p95 ≤ ${goal} ms: ${figures.p95 <= goal ? 'met' : 'NOT met'}`}`;
    console.log(`${CLIENTS} concurrent clients, ${STORED_CLAIMS.toLocaleString('en')} claims stored`);
    console.log(row('GET /api/health (base)', health, null));
    console.log(row(`submit ×${SUBMITS}`, submit, 50));
    console.log(row(`listMine ×${LISTS}`, list, 20));
  } finally {
    await server.kill('SIGTERM');
  }
}
