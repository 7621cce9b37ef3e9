/**
 * Several server processes against one PostgreSQL database (issue 12): two local servers (`npm run
 * serve`, DATABASE_URL set, the same DATA_DIR for their shared secrets) on a throw-away cluster.
 * 20 claims of one person are settled at once, half through each process: the year ledger equals
 * the sum of the settlements, the yearly limit is never exceeded, every claim is in the ledger once.
 * And two reviewers deciding one claim at once on different processes: one wins, the other is 409.
 */
import { checklistOf } from '../src/core/contracts/claim';
import { openPostgresStore, pgDriver, type PostgresStore } from '../server/adapters/sql/postgres';
import { startChildServer, type ChildServer } from './support/childServer';
import { jpegBytes, recentDate, validForm } from './support/fixtures';
import { tempDir } from './support/ports';
import { postgresBinDir, requirePostgres, startThrowawayPostgres, type ThrowawayPostgres } from './support/postgres';

interface Answer {
  status: number;
  body: { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string } };
}

interface StoredLedger {
  _id: string;
  ledger: { benefitPaid: Record<string, number>; deductibleUsed: Record<string, number> };
  entries: Record<string, { result: { fundPays: number } }>;
}

interface StoredClaim {
  _id: string;
  status: string;
  version: number;
  settlement?: { fundPays: number; capsHit: unknown[] } | null;
  events: unknown[];
}

const run = postgresBinDir() !== null || requirePostgres() ? describe : describe.skip;

run('two server processes on one PostgreSQL database', () => {
  let cluster: ThrowawayPostgres;
  let store: PostgresStore;
  const servers: ChildServer[] = [];
  const tokens: Record<string, string> = {};
  let serial = 0;

  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
    const url = await cluster.createDatabase('multiprocess');
    const dataDir = tempDir('yb-multiprocess-');
    // One after the other: each migrates (under an advisory lock) and seeds the dev staff on start.
    for (let index = 0; index < 2; index += 1)
      servers.push(await startChildServer(dataDir, { DATABASE_URL: url }, 60_000));
    store = await openPostgresStore(await pgDriver(url, { max: 2 }), { migrate: false });
    for (const user of ['zhangsan', 'reviewer', 'reviewer2']) {
      const response = await fetch(`${servers[0]!.base}/api/dev/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user }),
      });
      tokens[user] = ((await response.json()) as { data: { token: string } }).data.token;
    }
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) await server.kill();
    await store?.close();
    await cluster?.stop();
  });

  async function call(
    server: ChildServer,
    user: string,
    fn: string,
    action: string,
    payload: unknown,
    requestId?: string,
  ): Promise<Answer> {
    const response = await fetch(`${server.base}/api/fn/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[user]}` },
      body: JSON.stringify({ action, payload, ...(requestId ? { requestId } : {}) }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  async function upload(server: ChildServer): Promise<string> {
    serial += 1;
    const response = await fetch(`${server.base}/api/files?name=photo${serial}.jpg`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${tokens.zhangsan}` },
      body: new Uint8Array(await jpegBytes(`multiprocess photo ${serial}`)),
    });
    const body = (await response.json()) as { ok: boolean; data: { fileID: string } };
    if (!body.ok) throw new Error(`upload refused: ${JSON.stringify(body)}`);
    return body.data.fileID;
  }

  /** A claim of 张三's taken to 审核通过 with originals received, alternately through each process. */
  /** The claim's version as stored now: what a reviewer who loaded it now sends. */
  async function versionNow(id: string): Promise<number> {
    return (await store.collection<StoredClaim>('claims').get(id))!.version;
  }

  async function reviewPassed(index: number): Promise<string> {
    const server = servers[index % 2]!;
    const form = validForm({ visit: { visitDate: recentDate(10) } });
    const materials: Record<string, string[]> = {};
    for (const item of checklistOf(form as never, true).filter((entry) => entry.required))
      materials[item.id] = [await upload(server)];
    const submitted = await call(
      server,
      'zhangsan',
      'claims',
      'submit',
      { form: { ...form, materials } },
      `multiprocess-${String(index).padStart(4, '0')}`,
    );
    if (!submitted.body.ok) throw new Error(JSON.stringify(submitted.body));
    const id = String(submitted.body.data!.id);
    for (const [action, expectedStatus, extra] of [
      ['decide', 'submitted', { action: 'passPreliminary' }],
      ['decide', 'preliminaryPassed', { action: 'passReview' }],
      ['receiveOriginals', 'reviewPassed', {}],
    ] as const) {
      const answer = await call(servers[(index + 1) % 2]!, 'reviewer', 'review', action, {
        id,
        expectedStatus,
        expectedVersion: await versionNow(id),
        ...extra,
      });
      if (!answer.body.ok) throw new Error(JSON.stringify(answer.body));
    }
    return id;
  }

  it('20 settlements of one person at once, across both processes: ledger = sum of settlements, yearly limit kept', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 20; index += 1) ids.push(await reviewPassed(index));
    // Each reviewer settles the figure its page showed; told it changed (another settled first), reads again and
    // confirms the new one, as a reviewer does.
    const settle = async (id: string, index: number): Promise<Answer> => {
      const server = servers[index % 2]!;
      const user = index % 4 < 2 ? 'reviewer' : 'reviewer2';
      for (let attempt = 0; ; attempt += 1) {
        const loaded = await call(server, user, 'review', 'get', { id });
        const preview = (loaded.body.data as { settlementPreview?: { totalPaid: number } | null } | undefined)
          ?.settlementPreview;
        const answer = await call(server, user, 'review', 'settle', {
          id,
          expectedStatus: 'reviewPassed',
          expectedVersion: await versionNow(id),
          expectedPaidFen: preview?.totalPaid ?? 0,
        });
        if (answer.body.ok || !['BUSY', 'SETTLEMENT_CHANGED'].includes(answer.body.error?.code ?? '') || attempt === 40)
          return answer;
      }
    };
    const answers = await Promise.all(ids.map(settle));
    expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 200));

    const claims: StoredClaim[] = [];
    for (const id of ids) claims.push((await store.collection<StoredClaim>('claims').get(id))!);
    expect(claims.map((claim) => claim.status)).toEqual(ids.map(() => 'settled'));
    const paid = claims.reduce((sum, claim) => sum + (claim.settlement?.fundPays ?? 0), 0);
    const ledgers = await store.collection<StoredLedger>('ledgers').find({});
    expect(ledgers).toHaveLength(1);
    const [ledger] = ledgers;
    // 大连 职工 outpatient sample: 500 元 deductible per year, 3,000 元 yearly limit.
    expect(paid).toBe(300_000);
    expect(ledger!.ledger.benefitPaid.outpatient).toBe(paid);
    expect(ledger!.ledger.deductibleUsed.outpatient).toBe(50_000);
    expect(Object.keys(ledger!.entries).sort()).toEqual([...ids].sort());
    expect(Object.values(ledger!.entries).reduce((sum, entry) => sum + entry.result.fundPays, 0)).toBe(paid);
    expect(claims.filter((claim) => (claim.settlement?.capsHit.length ?? 0) > 0).length).toBeGreaterThan(0);
  }, 300_000);

  it('two reviewers deciding one claim at once on different processes: one decision lands, the other is 409', async () => {
    for (let round = 0; round < 3; round += 1) {
      const server = servers[round % 2]!;
      const form = validForm({ visit: { visitDate: recentDate(10) } });
      const materials: Record<string, string[]> = {};
      for (const item of checklistOf(form as never, true).filter((entry) => entry.required))
        materials[item.id] = [await upload(server)];
      const submitted = await call(
        server,
        'zhangsan',
        'claims',
        'submit',
        { form: { ...form, materials } },
        `multiprocess-race-${round}`,
      );
      const id = String(submitted.body.data!.id);
      const expectedVersion = await versionNow(id);
      const answers = await Promise.all([
        call(servers[0]!, 'reviewer', 'review', 'decide', {
          id,
          expectedStatus: 'submitted',
          expectedVersion,
          action: 'passPreliminary',
        }),
        call(servers[1]!, 'reviewer2', 'review', 'decide', {
          id,
          expectedStatus: 'submitted',
          expectedVersion,
          action: 'reject',
          reasonCode: 'notCovered',
        }),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      expect((await store.collection<StoredClaim>('claims').get(id))!.events).toHaveLength(2);
    }
  }, 120_000);
});
