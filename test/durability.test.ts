/**
 * Durability: the local server (a separate process, exactly `npm run serve`) is killed with
 * SIGKILL while 1,000 submissions are under way. After a restart every acknowledged submission is
 * there, complete, and no claim is half-written. On the store TEST_STORE names: SQLite (the
 * default, `npm run test:unit`) or PostgreSQL (`npm run test:pg`: the server on a schema of the
 * run's throw-away cluster, restarted on the same one).
 */
import { checklistOf } from '../src/core/contracts/claim';
import { startChildServer, type ChildServer } from './support/childServer';
import { jpegBytes, recentDate, validForm } from './support/fixtures';
import { tempDir } from './support/ports';
import { testStoreKind } from './support/testStore';

const SUBMISSIONS = 1000;
const KILL_AFTER_ACKS = 400;
const CONCURRENCY = 8;

async function login(base: string, user: string): Promise<string> {
  const response = await fetch(`${base}/api/dev/login`, { method: 'POST', body: JSON.stringify({ user }) });
  return ((await response.json()) as { data: { token: string } }).data.token;
}

interface StoredClaim {
  id: string;
  status: string;
  submittedAt: string | null;
  estimateFundFen: number | null;
}

describe(`durability under SIGKILL (${testStoreKind()})`, () => {
  let server: ChildServer | null = null;
  afterEach(async () => {
    await server?.kill('SIGKILL');
  });

  it('keeps every acknowledged submission across a SIGKILL, none half-written', async () => {
    const dataDir = tempDir('yb-durability-');
    // One account uploads an invoice for each of 1,000 submissions: far past a day's limit (300 photos).
    const manyUploads = { UPLOAD_FILES_PER_DAY: '100000', UPLOAD_MB_PER_DAY: '100000' };
    server = await startChildServer(dataDir, manyUploads);
    const storeEnv = server.storeEnv;
    const token = await login(server.base, 'zhangsan');
    const form = validForm({ visit: { visitDate: recentDate(10) } });
    const materials: Record<string, string[]> = {};
    for (const item of checklistOf(form as never, true).filter((entry) => entry.required)) {
      const upload = await fetch(`${server.base}/api/files?name=${item.id}.jpg`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${token}` },
        body: new Uint8Array(await jpegBytes(item.id)),
      });
      materials[item.id] = [((await upload.json()) as { data: { fileID: string } }).data.fileID];
    }

    const acknowledged = new Map<string, string>(); // requestId → claim id
    const submitted = new Map<string, Record<string, string[]>>(); // requestId → its materials
    let next = 0;
    let killed = false;
    const base = server.base;
    const worker = async (): Promise<void> => {
      while (next < SUBMISSIONS && !killed) {
        const requestId = `durable-${String(next).padStart(5, '0')}`;
        next += 1;
        try {
          // Each claim has its own receipt photo: the same receipt twice would be refused as a duplicate.
          const upload = await fetch(`${base}/api/files?name=invoice.jpg`, {
            method: 'POST',
            headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${token}` },
            body: new Uint8Array(await jpegBytes(`invoice ${requestId}`)),
          });
          const invoice = ((await upload.json()) as { data: { fileID: string } }).data.fileID;
          submitted.set(requestId, { ...materials, invoice: [invoice] });
          const response = await fetch(`${base}/api/fn/claims`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              action: 'submit',
              requestId,
              payload: { form: { ...form, materials: { ...materials, invoice: [invoice] } } },
            }),
          });
          const body = (await response.json()) as { ok: boolean; data?: { id: string } };
          if (body.ok && body.data) acknowledged.set(requestId, body.data.id);
        } catch {
          // the server died under this request: not acknowledged
        }
        if (acknowledged.size >= KILL_AFTER_ACKS && !killed) {
          killed = true;
          await server?.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    server = await startChildServer(dataDir, { ...storeEnv, ...manyUploads });
    const seen = new Map<string, StoredClaim>();
    for (let page = 1; ; page += 1) {
      const response = await fetch(`${server.base}/api/fn/claims`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ action: 'listMine', payload: { page, pageSize: 50 } }),
      });
      const body = (await response.json()) as { data: { items: StoredClaim[]; total: number } };
      for (const item of body.data.items) seen.set(item.id, item);
      if (page * 50 >= body.data.total) break;
    }
    for (const id of acknowledged.values()) {
      expect(seen.get(id)).toMatchObject({ id, status: 'submitted' });
    }
    // Nothing half-written: every stored claim is either a complete submission or an untouched draft.
    for (const claim of seen.values()) {
      if (claim.status === 'submitted') {
        expect(claim.submittedAt).not.toBeNull();
        expect(claim.estimateFundFen).not.toBeNull();
      } else {
        expect(claim.status).toBe('draft');
      }
    }
    // A retry of an acknowledged request after the restart answers with the same claim.
    const [requestId, id] = [...acknowledged.entries()][0]!;
    const retry = await fetch(`${server.base}/api/fn/claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        action: 'submit',
        requestId,
        payload: { form: { ...form, materials: submitted.get(requestId) } },
      }),
    });
    expect(((await retry.json()) as { data: { id: string } }).data.id).toBe(id);
  }, 180_000);
});
