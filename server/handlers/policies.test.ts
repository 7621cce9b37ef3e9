/**
 * The `policies` function on the embedded store: who may do what (the matrix), faults by path,
 * four eyes, a published version never edited, racing publications (one wins), and what the
 * functions compute with afterwards.
 */
import type {
  PolicyCasesRun,
  PolicyDiffView,
  PolicyVersionDetail,
  PolicyVersionSummary,
  PublishedPolicies,
} from '../../src/core/contracts/policies';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { raisedOutpatientVersion, SAMPLE_POLICY, samplePolicyText } from '../../test/support/policyVersions';
import { selectPolicy } from '../../src/core/policy';
import { StorePolicyCatalog, type PolicyVersionDoc } from '../policies/catalog';
import type { Caller } from '../ports';
import { invoke, type Envelope } from './framework';
import { policiesFunction } from './policies';

const operatorA: Caller = { openid: 'op-a', roles: ['claimant', 'operator'] };
const operatorB: Caller = { openid: 'op-b', roles: ['claimant', 'operator'] };
const operatorC: Caller = { openid: 'op-c', roles: ['claimant', 'operator'] };

const SAMPLE = SAMPLE_POLICY;
const sample = samplePolicyText;
const nextVersion = raisedOutpatientVersion;

const textOf = (doc: unknown): string => JSON.stringify(doc, null, 2);

async function world() {
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  const ports = await embeddedPorts({ clock });
  const catalog = new StorePolicyCatalog(ports.store, clock);
  const all = { ...ports, policies: catalog };
  const call = <T>(caller: Caller | null, action: string, payload: unknown): Promise<Envelope<T>> =>
    invoke(policiesFunction, { action, payload }, caller, all) as Promise<Envelope<T>>;
  const ok = async <T>(caller: Caller | null, action: string, payload: unknown): Promise<T> => {
    const result = await call<T>(caller, action, payload);
    if (!result.ok) throw new Error(`${action}: ${JSON.stringify(result.error)}`);
    return result.data;
  };
  const versions = () => ports.store.collection<PolicyVersionDoc>('policies');
  return { ports: all, clock, catalog, call, ok, versions };
}

type World = Awaited<ReturnType<typeof world>>;

/** A clean 2025.2 saved by A and sent for review by A. */
async function pending(w: World, changes: Record<string, unknown> = {}): Promise<PolicyVersionDetail> {
  const draft = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', { text: textOf(nextVersion(changes)) });
  return w.ok<PolicyVersionDetail>(operatorA, 'submitForReview', { id: draft.id, expectedRevision: draft.revision });
}

describe('policies: who may do what', () => {
  type Who = 'claimant' | 'reviewer' | 'secondReviewer' | 'operator' | 'anonymous';
  const who: Record<Who, Caller | null> = {
    claimant: callers.zhangsan,
    reviewer: callers.reviewer,
    secondReviewer: callers.reviewer2,
    operator: operatorB,
    anonymous: null,
  };
  const operatorOnly: Who[] = ['operator'];
  const signedIn: Who[] = ['claimant', 'reviewer', 'secondReviewer', 'operator'];
  const cases: Array<[string, (id: string, revision: number) => unknown, Who[]]> = [
    ['list', () => ({}), operatorOnly],
    ['get', (id) => ({ id }), operatorOnly],
    ['saveDraft', () => ({ text: textOf(nextVersion({ version: '2025.9' })) }), operatorOnly],
    ['runCases', (id) => ({ id }), operatorOnly],
    ['diff', (id) => ({ id }), operatorOnly],
    ['submitForReview', (id, revision) => ({ id, expectedRevision: revision }), operatorOnly],
    ['approve', (id, revision) => ({ id, expectedRevision: revision }), operatorOnly],
    ['returnToDraft', (id, revision) => ({ id, expectedRevision: revision }), operatorOnly],
    ['retire', (id, revision) => ({ id, expectedRevision: revision }), operatorOnly],
    ['requestRetire', (id, revision) => ({ id, expectedRevision: revision }), operatorOnly],
    ['cancelRetire', (id, revision) => ({ id, expectedRevision: revision }), operatorOnly],
    ['published', () => ({}), signedIn],
  ];

  it.each(cases)('%s', async (action, payload, allowed) => {
    for (const caller of Object.keys(who) as Who[]) {
      const w = await world();
      // A version in the state the action needs: a draft to submit, a version under review otherwise.
      const draft = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', { text: textOf(nextVersion()) });
      // 申请停用 a published version; 撤销 one that operator A asked to retire.
      const published = async (): Promise<PolicyVersionDetail> => {
        const sample = await w.ok<PolicyVersionDetail>(operatorA, 'get', { id: `${SAMPLE}@2025.1` });
        return action === 'cancelRetire'
          ? w.ok<PolicyVersionDetail>(operatorA, 'requestRetire', { id: sample.id, expectedRevision: sample.revision })
          : sample;
      };
      const target =
        action === 'submitForReview' || action === 'retire'
          ? draft
          : action === 'requestRetire' || action === 'cancelRetire'
            ? await published()
            : await w.ok<PolicyVersionDetail>(operatorA, 'submitForReview', {
                id: draft.id,
                expectedRevision: draft.revision,
              });
      const before = await w.versions().count({});
      const result = await w.call(who[caller], action, payload(target.id, target.revision));
      if (allowed.includes(caller)) {
        expect({ action, caller, result: result.ok ? 'ok' : result.error }).toEqual({ action, caller, result: 'ok' });
      } else {
        expect({ action, caller, code: result.ok ? 'ok' : result.error.code }).toEqual({
          action,
          caller,
          code: caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN',
        });
        expect(result.ok ? '' : result.error.message).toMatch(/[\u4e00-\u9fff]/);
        expect(await w.versions().count({})).toBe(before);
        expect((await w.versions().get(target.id))?.revision).toBe(target.revision);
      }
    }
  });
});

describe('policies: faults by path', () => {
  it('keeps a faulty draft, marked, with every fault by path in Chinese, and refuses to send it for review', async () => {
    const w = await world();
    const faulty = nextVersion({
      outpatient: { ...(sample.outpatient as object), ratio: { level1: 8000, level2: 7000, level3: 70000 } },
      regionName: '',
    });
    const draft = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', { text: textOf(faulty) });
    expect(draft).toMatchObject({ id: `${SAMPLE}@2025.2`, status: 'draft', faultCount: 2 });
    expect(draft.faults).toEqual([
      { path: 'regionName', message: '请填写统筹区名称' },
      { path: 'outpatient.ratio.level3', message: '比例不能超过 10000（100%）' },
    ]);
    expect(draft.actions).not.toContain('submitForReview');
    expect(draft.notes.join('')).toContain('2 处格式错误');
    const refused = await w.call(operatorA, 'submitForReview', { id: draft.id, expectedRevision: draft.revision });
    expect(refused).toMatchObject({ ok: false, error: { code: 'POLICY_INVALID', issues: draft.faults } });
    expect(refused.ok ? '' : refused.error.message).toBe(
      '政策文件格式有误：regionName：请填写统筹区名称，共 2 处需要修改。',
    );
    const cases = await w.call(operatorA, 'runCases', { id: draft.id });
    expect(cases).toMatchObject({ ok: false, error: { code: 'POLICY_INVALID' } });

    // Fixed over the same draft: no fault left.
    const fixed = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', {
      id: draft.id,
      expectedRevision: draft.revision,
      text: textOf(nextVersion()),
    });
    expect(fixed).toMatchObject({ id: draft.id, faultCount: 0, faults: [], revision: draft.revision + 1 });
    expect(fixed.actions).toContain('submitForReview');
  });

  it('faults in a case are named by their path inside the document', async () => {
    const w = await world();
    const [good] = nextVersion().cases as Array<Record<string, unknown>>;
    const draft = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', {
      text: textOf(
        nextVersion({ cases: [{ ...good, visit: { kind: 'outpatient', hospitalLevel: 5, visitDate: '2025-03-01' } }] }),
      ),
    });
    expect(draft.faults.map((fault) => fault.path)).toEqual(['cases[0].visit.hospitalLevel']);
  });

  it('stores nothing that is not JSON, has no id and version, or could not be stored, and says where', async () => {
    const w = await world();
    await w.ok(operatorA, 'list', {});
    const before = await w.versions().count({});
    const broken = await w.call(operatorA, 'saveDraft', {
      text: '{\n  "id": "dalian-employee-2025",\n  "version": "2025.2"\n  "title": "x"\n}',
    });
    expect(broken).toMatchObject({ ok: false, error: { code: 'POLICY_JSON_INVALID' } });
    expect(broken.ok ? '' : broken.error.message).toContain('第 4 行');
    // A full-width colon and a comma before ] were put at 文件末尾 (a walk): the line and column, and what to type.
    const fullWidthColon = await w.call(operatorA, 'saveDraft', {
      text: '{\n  "id": "dalian-employee-2025",\n  "version"： "2025.2"\n}',
    });
    expect(fullWidthColon.ok ? null : fullWidthColon.error).toMatchObject({
      code: 'POLICY_JSON_INVALID',
      message:
        '政策文件不是有效的 JSON：第 3 行第 12 列，这里是全角的“：”，应是半角的“:”（请切换到英文输入法再输入）。请修改后再保存。',
      details: { line: 3, column: 12 },
    });
    const trailingComma = await w.call(operatorA, 'saveDraft', {
      text: '{\n  "id": "dalian-employee-2025",\n  "version": "2025.2",\n  "bands": [1, 2,]\n}',
    });
    expect(trailingComma.ok ? '' : trailingComma.error.message).toContain('第 4 行第 17 列，最后一项后面多了一个逗号');
    const nameless = await w.call(operatorA, 'saveDraft', { text: textOf({ ...nextVersion(), version: '2025 二' }) });
    expect(nameless).toMatchObject({
      ok: false,
      error: { code: 'POLICY_IDENTITY_INVALID', issues: [{ path: 'version' }] },
    });
    const dotted = await w.call(operatorA, 'saveDraft', {
      text: textOf(nextVersion({ chronic: { diseases: { 'a.b': { name: 'x' } } } })),
    });
    expect(dotted).toMatchObject({
      ok: false,
      error: { code: 'POLICY_JSON_INVALID', issues: [{ path: 'chronic.diseases.a.b' }] },
    });
    expect(await w.versions().count({})).toBe(before);
  });
});

describe('policies: four eyes and publication', () => {
  it('the author, an editor and the submitter cannot publish; a second operator can, and the version it replaces is retired', async () => {
    const w = await world();
    const draft = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', {
      text: textOf(nextVersion({ notes: '初稿' })),
    });
    const edited = await w.ok<PolicyVersionDetail>(operatorB, 'saveDraft', {
      id: draft.id,
      expectedRevision: draft.revision,
      text: textOf(nextVersion()),
    });
    const sent = await w.ok<PolicyVersionDetail>(operatorA, 'submitForReview', {
      id: edited.id,
      expectedRevision: edited.revision,
    });
    expect(sent).toMatchObject({
      status: 'pendingReview',
      supersedes: `${SAMPLE}@2025.1`,
      submittedBy: { id: 'op-a' },
    });
    for (const caller of [operatorA, operatorB]) {
      const refused = await w.call(caller, 'approve', { id: sent.id, expectedRevision: sent.revision });
      expect(refused).toMatchObject({ ok: false, error: { code: 'FOUR_EYES' } });
      expect((await w.ok<PolicyVersionDetail>(caller, 'get', { id: sent.id })).actions).not.toContain('approve');
    }
    expect((await w.ok<PolicyVersionDetail>(operatorC, 'get', { id: sent.id })).actions).toContain('approve');

    const oldDocument = (await w.catalog.published()).find((policy) => policy.id === SAMPLE)!;
    const published = await w.ok<PolicyVersionDetail>(operatorC, 'approve', {
      id: sent.id,
      expectedRevision: sent.revision,
    });
    expect(published).toMatchObject({ status: 'published', approvedBy: { id: 'op-c' }, author: { id: 'op-a' } });
    expect(await w.versions().get(`${SAMPLE}@2025.1`)).toMatchObject({ status: 'retired', supersededBy: sent.id });
    // The functions compute with the new version at once (this process), and a claim pinned to the old one keeps it.
    const inForce = (await w.catalog.published()).filter((policy) => policy.id === SAMPLE);
    expect(inForce.map((policy) => policy.version)).toEqual(['2025.2']);
    expect(await w.catalog.version(SAMPLE, '2025.1')).toEqual(oldDocument);
    const forApp = await w.ok<PublishedPolicies>(callers.zhangsan, 'published', {});
    expect(
      forApp.sources
        .filter((source) => (source as { id: string }).id === SAMPLE)
        .map((source) => (source as { version: string }).version),
    ).toEqual(['2025.2']);
  });

  it('a version taking effect later leaves the one it replaces in force for the days before it (claims for them come months later)', async () => {
    const w = await world();
    const sent = await pending(w, {
      effectiveFrom: '2026-07-01',
      cases: [
        {
          ...(nextVersion().cases as object[])[0],
          visit: { kind: 'outpatient', hospitalLevel: 3, visitDate: '2026-07-01' },
        },
      ],
    });
    // The second operator is told before publishing what stays with the version replaced.
    const underReview = await w.ok<PolicyVersionDetail>(operatorC, 'get', { id: sent.id });
    expect(underReview.notes).toContain(
      `发布后，2026-06-30 及以前的就诊仍按 ${SAMPLE}@2025.1 计算，2026-07-01 起按这个版本。`,
    );
    expect(underReview.replacedKeepsUntil).toBe('2026-06-30');
    await w.ok<PolicyVersionDetail>(operatorC, 'approve', { id: sent.id, expectedRevision: sent.revision });
    const stored = await w.catalog.version(SAMPLE, '2025.1');
    const inForce = (await w.catalog.published()).filter((policy) => policy.id === SAMPLE);
    expect(inForce.map((policy) => [policy.version, policy.effectiveFrom, policy.effectiveTo ?? null])).toEqual([
      ['2025.1', '2025-01-01', '2026-06-30'],
      ['2025.2', '2026-07-01', null],
    ]);
    const pick = (date: string) => selectPolicy(inForce, '210200', 'employee', date).version;
    expect([pick('2026-06-30'), pick('2026-07-01')]).toEqual(['2025.1', '2025.2']);
    // A claim pinned to 2025.1 computes with it as written (no end date), as before.
    expect(stored?.effectiveTo).toBeUndefined();
    // The app's instant estimate gets the same two, the old one ending on the eve of the new one.
    const forApp = await w.ok<PublishedPolicies>(callers.zhangsan, 'published', {});
    expect(
      forApp.sources
        .filter((source) => (source as { id: string }).id === SAMPLE)
        .map((source) => [
          (source as { version: string }).version,
          (source as { effectiveTo?: string }).effectiveTo ?? null,
        ]),
    ).toEqual([
      ['2025.1', '2026-06-30'],
      ['2025.2', null],
    ]);
    // The operator sees why the replaced version still counts.
    const replaced = await w.ok<PolicyVersionDetail>(operatorA, 'get', { id: `${SAMPLE}@2025.1` });
    expect(replaced).toMatchObject({ status: 'retired', supersededBy: sent.id, coversUntil: '2026-06-30' });
    expect(replaced.notes.join('')).toContain('2025-01-01 至 2026-06-30 的就诊仍按这个版本计算');
    const listed = await w.ok<{ items: PolicyVersionSummary[] }>(operatorA, 'list', {});
    expect(listed.items.find((item) => item.id === `${SAMPLE}@2025.1`)?.coversUntil).toBe('2026-06-30');
    expect(listed.items.find((item) => item.id === sent.id)?.coversUntil).toBeNull();
  });

  it('a published version is never edited: not over its id, not by saving the same id and version, not sent back', async () => {
    const w = await world();
    const sent = await pending(w);
    const published = await w.ok<PolicyVersionDetail>(operatorB, 'approve', {
      id: sent.id,
      expectedRevision: sent.revision,
    });
    const stored = await w.versions().get(published.id);
    const changed = textOf(nextVersion({ outpatient: { ...(sample.outpatient as object), ratio: 9000 } }));
    const attempts = [
      await w.call(operatorA, 'saveDraft', { id: published.id, expectedRevision: published.revision, text: changed }),
      await w.call(operatorB, 'saveDraft', { text: changed }),
      await w.call(operatorB, 'saveDraft', { text: textOf({ ...sample, notes: '改一下' }) }),
      await w.call(operatorB, 'returnToDraft', { id: published.id, expectedRevision: published.revision }),
      await w.call(operatorC, 'approve', { id: published.id, expectedRevision: published.revision }),
    ];
    expect(attempts.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
      'POLICY_NOT_EDITABLE',
      'POLICY_NOT_EDITABLE',
      'POLICY_NOT_EDITABLE',
      'TRANSITION_NOT_ALLOWED',
      'TRANSITION_NOT_ALLOWED',
    ]);
    expect(await w.versions().get(published.id)).toEqual(stored);
    expect((await w.versions().get(`${SAMPLE}@2025.1`))?.source).toEqual(sample);
  });

  it('refuses a version without cases or with a failing case', async () => {
    const w = await world();
    const none = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', { text: textOf(nextVersion({ cases: [] })) });
    expect(await w.call(operatorA, 'submitForReview', { id: none.id, expectedRevision: none.revision })).toMatchObject({
      ok: false,
      error: { code: 'POLICY_CASES_REQUIRED' },
    });
    const [good] = nextVersion().cases as Array<Record<string, unknown>>;
    const wrong = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', {
      id: none.id,
      expectedRevision: none.revision,
      text: textOf(nextVersion({ cases: [good, { ...good, name: '旧比例的预期', expected: { fundPays: 90000 } }] })),
    });
    const run = await w.ok<PolicyCasesRun>(operatorA, 'runCases', { id: wrong.id });
    expect(run).toMatchObject({ passed: 1, failed: 1 });
    expect(run.outcomes[1]).toMatchObject({
      name: '旧比例的预期',
      passed: false,
      failures: ['统筹基金支付应为 900.00 元，算得 1,050.00 元。'],
    });
    const refused = await w.call(operatorA, 'submitForReview', { id: wrong.id, expectedRevision: wrong.revision });
    expect(refused).toMatchObject({ ok: false, error: { code: 'POLICY_CASES_FAILED' } });
    expect(refused.ok ? '' : refused.error.message).toContain('「旧比例的预期」');
  });

  it('diff: parameter by parameter against the version it replaces, with sample claims before and after', async () => {
    const w = await world();
    const sent = await pending(w);
    const diff = await w.ok<PolicyDiffView>(operatorB, 'diff', { id: sent.id });
    expect(diff.against).toEqual({ id: `${SAMPLE}@2025.1`, version: '2025.1', status: 'published' });
    expect(diff.parameters).toEqual([
      { path: 'version', kind: 'changed', before: '2025.1', after: '2025.2' },
      { path: 'outpatient.ratio.level3', kind: 'changed', before: '6000（60%）', after: '7000（70%）' },
    ]);
    const own = diff.samples.find((sampleClaim) => sampleClaim.label === '案例：三级医院门诊 2,000 元')!;
    expect(own).toMatchObject({ before: { fundPays: 90000 }, after: { fundPays: 105000 } });
    const inpatient = diff.samples.find((sampleClaim) => sampleClaim.label.startsWith('住院 · 三级'))!;
    expect(inpatient.before).toEqual(inpatient.after);
    expect(diff.samples.length).toBeGreaterThanOrEqual(4);
  });
});

describe('policies: concurrency', () => {
  it('two operators approving the same version at once: one publishes, the other is told it changed', async () => {
    const w = await world();
    const sent = await pending(w);
    const results = await Promise.all(
      [operatorB, operatorC].map((caller) =>
        w.call<PolicyVersionDetail>(caller, 'approve', { id: sent.id, expectedRevision: sent.revision }),
      ),
    );
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code)).sort()).toEqual(['CONFLICT', 'ok']);
    const list = await w.ok<{ items: PolicyVersionSummary[] }>(operatorB, 'list', {});
    expect(list.items.filter((item) => item.policyId === SAMPLE).map((item) => [item.version, item.status])).toEqual([
      ['2025.1', 'retired'],
      ['2025.2', 'published'],
    ]);
    expect((await w.versions().get(sent.id))?.revision).toBe(sent.revision + 1);
  });

  it('two versions of one policy approved at once: one is published, the other must be looked at again', async () => {
    const w = await world();
    const first = await pending(w);
    const secondDraft = await w.ok<PolicyVersionDetail>(operatorB, 'saveDraft', {
      text: textOf(nextVersion({ version: '2025.3' })),
    });
    const second = await w.ok<PolicyVersionDetail>(operatorB, 'submitForReview', {
      id: secondDraft.id,
      expectedRevision: secondDraft.revision,
    });
    const results = await Promise.all([
      w.call(operatorC, 'approve', { id: first.id, expectedRevision: first.revision }),
      w.call(operatorA, 'approve', { id: second.id, expectedRevision: second.revision }),
    ]);
    const codes = results.map((result) => (result.ok ? 'ok' : result.error.code));
    expect(codes.filter((code) => code === 'ok')).toHaveLength(1);
    expect(codes.filter((code) => code !== 'ok')[0]).toMatch(/^(POLICY_SUPERSEDED|CONFLICT)$/);
    const published = await w.versions().find({ policyId: SAMPLE, status: 'published' });
    expect(published).toHaveLength(1);
    expect((await w.catalog.published()).filter((policy) => policy.id === SAMPLE)).toHaveLength(1);
  });

  it('two first versions of a policy new to the system, approved at once: only one is published', async () => {
    const w = await world();
    const sent: PolicyVersionDetail[] = [];
    for (const version of ['2026.1', '2026.2']) {
      const draft = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', {
        text: textOf(nextVersion({ id: 'jinzhou-employee', version })),
      });
      sent.push(
        await w.ok<PolicyVersionDetail>(operatorA, 'submitForReview', {
          id: draft.id,
          expectedRevision: draft.revision,
        }),
      );
    }
    expect(sent.map((version) => version.supersedes)).toEqual([null, null]);
    const results = await Promise.all(
      sent.map((version, index) =>
        w.call([operatorB, operatorC][index]!, 'approve', { id: version.id, expectedRevision: version.revision }),
      ),
    );
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code)).sort()).toEqual(['POLICY_SUPERSEDED', 'ok']);
    expect(await w.versions().find({ policyId: 'jinzhou-employee', status: 'published' })).toHaveLength(1);
  });

  it('an edit over a draft someone saved since is refused, and so is a new draft over an existing one', async () => {
    const w = await world();
    const draft = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', { text: textOf(nextVersion()) });
    await w.ok(operatorB, 'saveDraft', {
      id: draft.id,
      expectedRevision: draft.revision,
      text: textOf(nextVersion({ notes: 'B' })),
    });
    expect(
      await w.call(operatorA, 'saveDraft', {
        id: draft.id,
        expectedRevision: draft.revision,
        text: textOf(nextVersion({ notes: 'A' })),
      }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await w.call(operatorA, 'saveDraft', { text: textOf(nextVersion()) })).toMatchObject({
      ok: false,
      error: { code: 'POLICY_VERSION_EXISTS' },
    });
    expect(((await w.versions().get(draft.id))?.source as { notes: string }).notes).toBe('B');
  });

  it('停用 of a published version takes two operators: one asks, another confirms; either withdraws; it stays in force meanwhile (an operator walk: one tap by one operator left the days with no policy)', async () => {
    const w = await world();
    await w.ok(operatorA, 'list', {}); // the samples are seeded on the first read
    const sample1 = await w.ok<PolicyVersionDetail>(operatorA, 'get', { id: `${SAMPLE}@2025.1` });
    expect(sample1.actions).toEqual(['requestRetire']);
    expect(await w.call(operatorA, 'retire', { id: sample1.id, expectedRevision: sample1.revision })).toMatchObject({
      ok: false,
      error: {
        code: 'RETIRE_NOT_REQUESTED',
        message: '停用已发布的版本需要两位运维人员：请先点「申请停用」，再由另一位运维人员确认停用。',
      },
    });
    const asked = await w.ok<PolicyVersionDetail>(operatorA, 'requestRetire', {
      id: sample1.id,
      expectedRevision: sample1.revision,
    });
    expect(asked).toMatchObject({
      status: 'published',
      retireRequestedBy: { id: operatorA.openid },
      actions: ['cancelRetire'],
    });
    expect(asked.notes[0]).toContain('需要另一位运维人员确认后才停用');
    expect((await w.catalog.published()).some((policy) => policy.id === SAMPLE)).toBe(true);
    expect(await w.call(operatorA, 'retire', { id: asked.id, expectedRevision: asked.revision })).toMatchObject({
      ok: false,
      error: { code: 'FOUR_EYES' },
    });
    const seenByB = await w.ok<PolicyVersionDetail>(operatorB, 'get', { id: asked.id });
    expect(seenByB.actions).toEqual(['retire', 'cancelRetire']);
    // Withdrawn (by the other operator here), it is as if nobody had asked.
    const withdrawn = await w.ok<PolicyVersionDetail>(operatorB, 'cancelRetire', {
      id: asked.id,
      expectedRevision: asked.revision,
    });
    expect(withdrawn).toMatchObject({ status: 'published', retireRequestedBy: null, actions: ['requestRetire'] });
    const again = await w.ok<PolicyVersionDetail>(operatorA, 'requestRetire', {
      id: withdrawn.id,
      expectedRevision: withdrawn.revision,
    });
    const retired = await w.ok<PolicyVersionDetail>(operatorB, 'retire', {
      id: again.id,
      expectedRevision: again.revision,
    });
    expect(retired.status).toBe('retired');
    expect((await w.catalog.published()).some((policy) => policy.id === SAMPLE)).toBe(false);
  });

  it('changing the version of a draft renames it; retiring a published version takes it out of force', async () => {
    const w = await world();
    const draft = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', { text: textOf(nextVersion()) });
    const renamed = await w.ok<PolicyVersionDetail>(operatorA, 'saveDraft', {
      id: draft.id,
      expectedRevision: draft.revision,
      text: textOf(nextVersion({ version: '2025.5' })),
    });
    expect(renamed.id).toBe(`${SAMPLE}@2025.5`);
    expect(await w.versions().get(draft.id)).toBeNull();
    const sample1 = await w.ok<PolicyVersionDetail>(operatorA, 'get', { id: `${SAMPLE}@2025.1` });
    const asked = await w.ok<PolicyVersionDetail>(operatorA, 'requestRetire', {
      id: sample1.id,
      expectedRevision: sample1.revision,
    });
    await w.ok(operatorB, 'retire', { id: asked.id, expectedRevision: asked.revision });
    expect((await w.catalog.published()).some((policy) => policy.id === SAMPLE)).toBe(false);
    expect(
      (await w.ok<PublishedPolicies>(callers.lisi, 'published', {})).sources.some(
        (source) => (source as { id: string }).id === SAMPLE,
      ),
    ).toBe(false);
    // A new version of a retired policy replaces nothing.
    const sent = await w.ok<PolicyVersionDetail>(operatorA, 'submitForReview', {
      id: renamed.id,
      expectedRevision: renamed.revision,
    });
    expect(sent.supersedes).toBeNull();
    await w.ok(operatorB, 'approve', { id: sent.id, expectedRevision: sent.revision });
    expect(
      (await w.catalog.published()).filter((policy) => policy.id === SAMPLE).map((policy) => policy.version),
    ).toEqual(['2025.5']);
  });
});
