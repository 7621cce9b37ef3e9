import { claimsFunction } from './claims';
import { invoke } from './framework';
import { callers, embeddedPorts } from '../../test/support/ports';
import type { Ports } from '../ports';

let ports: Ports;
beforeEach(async () => {
  ports = await embeddedPorts();
});

const call = (caller: (typeof callers)[keyof typeof callers] | null, action: string, payload?: unknown, requestId?: string) =>
  invoke(claimsFunction, { action, payload, ...(requestId ? { requestId } : {}) }, caller, ports);

async function storedClaims(): Promise<number> {
  return ports.store.collection('claims').count({});
}

describe('claims: the vertical slice', () => {
  it('creates a draft in fen and lists it for its owner only', async () => {
    const created = await call(callers.zhangsan, 'createDraft', { title: ' 协和医院门诊 ', amountFen: 128050 });
    expect(created).toMatchObject({ ok: true, data: { title: '协和医院门诊', amountFen: 128050, status: 'draft' } });

    const mine = await call(callers.zhangsan, 'listMine', {});
    expect(mine.ok && (mine.data as { items: unknown[]; total: number })).toMatchObject({ total: 1, items: [{ title: '协和医院门诊' }] });

    const theirs = await call(callers.lisi, 'listMine', {});
    expect(theirs).toEqual({ ok: true, data: { items: [], page: 1, pageSize: 20, total: 0 } });
  });

  it('refuses another claimant reading the claim, with a clear Chinese error', async () => {
    const created = await call(callers.zhangsan, 'createDraft', { title: '急诊', amountFen: 500 });
    const id = created.ok ? (created.data as { id: string }).id : '';
    expect(await call(callers.zhangsan, 'get', { id })).toMatchObject({ ok: true, data: { id } });
    expect(await call(callers.lisi, 'get', { id })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: '这份报销申请不属于您，无法查看或修改' },
    });
  });

  it('answers NOT_FOUND for an id that does not exist', async () => {
    expect(await call(callers.zhangsan, 'get', { id: 'doesnotexist1' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('is idempotent by request id: ten retries and two concurrent calls make one draft', async () => {
    const payload = { title: '住院', amountFen: 1_000_000 };
    const ids = new Set<string>();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const result = await call(callers.zhangsan, 'createDraft', payload, 'request-0001');
      if (result.ok) ids.add((result.data as { id: string }).id);
    }
    const concurrent = await Promise.all([call(callers.zhangsan, 'createDraft', payload, 'request-0002'), call(callers.zhangsan, 'createDraft', payload, 'request-0002')]);
    for (const result of concurrent) if (result.ok) ids.add((result.data as { id: string }).id);
    expect(ids.size).toBe(2);
    expect(await storedClaims()).toBe(2);
  });

  it('the same request id from two people makes two drafts (ids are per person)', async () => {
    await call(callers.zhangsan, 'createDraft', { title: 'a', amountFen: 1 }, 'request-0003');
    await call(callers.lisi, 'createDraft', { title: 'b', amountFen: 1 }, 'request-0003');
    expect(await storedClaims()).toBe(2);
  });
});

describe('claims: bad input stores nothing and always answers with a code and a Chinese message', () => {
  it.each([
    ['missing title', { amountFen: 100 }, 'VALIDATION_FAILED', 'title'],
    ['blank title', { title: '   ', amountFen: 100 }, 'VALIDATION_FAILED', 'title'],
    ['negative amount', { title: 'x', amountFen: -100 }, 'VALIDATION_FAILED', 'amountFen'],
    ['zero amount', { title: 'x', amountFen: 0 }, 'VALIDATION_FAILED', 'amountFen'],
    ['non-numeric amount', { title: 'x', amountFen: '12.5' }, 'VALIDATION_FAILED', 'amountFen'],
    ['fractional fen', { title: 'x', amountFen: 12.5 }, 'VALIDATION_FAILED', 'amountFen'],
    ['unknown field', { title: 'x', amountFen: 1, _openid: 'someone-else' }, 'VALIDATION_FAILED', ''],
  ])('%s', async (_name, payload, code, path) => {
    const result = await call(callers.zhangsan, 'createDraft', payload);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(result.error.issues?.some((issue) => issue.path === path && /[\u4e00-\u9fff]/.test(issue.message))).toBe(true);
    }
    expect(await storedClaims()).toBe(0);
  });

  it('unknown action, malformed envelope and anonymous caller', async () => {
    expect(await call(callers.zhangsan, 'dropDatabase')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
    expect(await call(callers.zhangsan, '__proto__')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
    expect(await invoke(claimsFunction, 'not an object', callers.zhangsan, ports)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call(null, 'createDraft', { title: 'x', amountFen: 1 })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录' } });
    expect(await storedClaims()).toBe(0);
  });
});
