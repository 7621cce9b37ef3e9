/**
 * 查找申请 in the review queue: a 申请编号 a caller reads out, the 参保人's 身份证号 or name finds every claim
 * filed for that person, by any account, whatever its status — never a draft (its owner's alone), never for a
 * claimant. Claims whose facts came before the 申请编号 are found once the backfill has passed them.
 */
import { claimNumberOf } from '../../src/core/claimNumber';
import type { ClaimFormInput } from '../../src/core/contracts/claim';
import type { ReviewQueueItem } from '../../src/core/contracts/views';
import { QUEUE_SEARCH_HINT } from '../../src/core/queueSearch';
import { actionsOn } from '../../test/support/calls';
import { bankAccount, idNumber, requiredMaterialIds, uploadMaterials, validForm } from '../../test/support/fixtures';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { backfillClaimFacts, CLAIM_FACTS, type ClaimFactsDoc } from '../claims/dashboardFacts';
import { claimsFunction } from './claims';
import { reviewFunction } from './review';

type Caller = (typeof callers)[keyof typeof callers];
let ports: Awaited<ReturnType<typeof embeddedPorts>>;
const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));

beforeEach(async () => {
  ports = await embeddedPorts({ clock });
});

const { ok, refused } = actionsOn(() => ports);

const motherId = idNumber('19550302', '224');
const forMother = (): Partial<ClaimFormInput> => ({
  insured: {
    relation: 'relative',
    name: '王秀英',
    idNumber: motherId,
    insuranceType: 'employee',
    retired: true,
    region: '210200',
  },
  payout: { bankName: '中国银行大连分行', accountNumber: bankAccount, holderName: '王秀英' },
});

async function submit(caller: Caller, requestId: string, overrides: Partial<ClaimFormInput> = {}): Promise<string> {
  const form = validForm(overrides);
  const materials = await uploadMaterials(ports.files, caller.openid, requiredMaterialIds(form));
  return (await ok<{ id: string }>(claimsFunction, caller, 'submit', { form: { ...form, materials } }, requestId)).id;
}

const found = async (search: string): Promise<string[]> =>
  (await ok<{ items: ReviewQueueItem[]; total: number }>(reviewFunction, callers.reviewer, 'queue', { search })).items
    .map((item) => item.id)
    .sort();

describe('查找申请', () => {
  it('finds a claim by its 申请编号 as read out (any case, spaces) and by the full id an old 受理 card named', async () => {
    const mine = await submit(callers.zhangsan, 'request-search-01');
    await submit(callers.zhangsan, 'request-search-02');
    const number = claimNumberOf(mine);
    expect(await found(number)).toEqual([mine]);
    expect(await found(` ${number.slice(0, 6).toLowerCase()} ${number.slice(6)} `)).toEqual([mine]);
    expect(await found(mine)).toEqual([mine]);
    expect(await found('YB0000000000')).toEqual([]);
  });

  it('finds every claim filed for one person by 身份证号 or name, by any account and status, and no draft', async () => {
    const bySon = await submit(callers.zhangsan, 'request-search-03', forMother());
    const byDaughter = await submit(callers.lisi, 'request-search-04', forMother());
    await ok(claimsFunction, callers.lisi, 'withdraw', { id: byDaughter });
    const ownClaim = await submit(callers.zhangsan, 'request-search-05');
    const { materials: _none, ...draft } = validForm(forMother());
    await ok(claimsFunction, callers.zhangsan, 'saveDraft', { form: draft }, 'request-search-06');

    const spaced = `${motherId.slice(0, 6)} ${motherId.slice(6, 14)} ${motherId.slice(14).toLowerCase()}`;
    expect(await found(spaced)).toEqual([bySon, byDaughter].sort());
    expect(await found('王秀英')).toEqual([bySon, byDaughter].sort());
    expect(await found('王 秀英')).toEqual([bySon, byDaughter].sort());
    expect(await found(idNumber())).toEqual([ownClaim]);
    expect(await found('李秀英')).toEqual([]);
  });

  it('says what is wrong with a search that is no number, 身份证号 or name, and refuses claimants', async () => {
    expect(await refused(reviewFunction, callers.reviewer, 'queue', { search: '!!' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'search', message: QUEUE_SEARCH_HINT }],
    });
    const typo = `${motherId.slice(0, 17)}${motherId.endsWith('1') ? '2' : '1'}`;
    expect(await refused(reviewFunction, callers.reviewer, 'queue', { search: typo })).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'search', message: expect.stringContaining('校验位不对') }],
    });
    await submit(callers.zhangsan, 'request-search-07', forMother());
    expect(await refused(reviewFunction, callers.lisi, 'queue', { search: '王秀英' })).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('finds a claim whose facts came before the 申请编号 once the backfill has passed it', async () => {
    const older = await submit(callers.zhangsan, 'request-search-08');
    const facts = ports.store.collection<ClaimFactsDoc>(CLAIM_FACTS);
    const { claimNumber: _dropped, ...before } = (await facts.get(older))!;
    await facts.remove(older);
    await facts.insert(before as ClaimFactsDoc);
    expect(await found(claimNumberOf(older))).toEqual([]);

    await backfillClaimFacts(ports, { pages: 1 });
    expect((await facts.get(older))?.claimNumber).toBe(claimNumberOf(older));
    expect(await found(claimNumberOf(older))).toEqual([older]);
  });
});
