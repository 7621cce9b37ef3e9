/** zod's own issues in Chinese: a field sent with the wrong type is 格式不正确, only a missing one 此项必填. */
import * as z from 'zod';
import { DomainError } from './errors';
import { claimIdSchema } from './contracts/claimDraft';
import { missingOr, parseOrThrow } from './validation';
import { claimFormSchema } from './contracts/claim';
import { validForm } from '../../test/support/fixtures';

const schema = z.strictObject({ page: z.number(), name: z.string(), tags: z.array(z.string()).optional() });

function issuesOf(input: unknown, against: z.ZodType = schema): unknown {
  try {
    parseOrThrow(against, input);
  } catch (error) {
    if (error instanceof DomainError) return error.issues;
    throw error;
  }
  throw new Error('parsed');
}

describe('zod issues in Chinese', () => {
  it('a field of the wrong type is 格式不正确, a missing one 此项必填 (every wrong type was 此项必填)', () => {
    expect(issuesOf({ page: '2', tags: [1] })).toEqual([
      { path: 'page', message: '格式不正确' },
      { path: 'name', message: '此项必填' },
      { path: 'tags[0]', message: '格式不正确' },
    ]);
    expect(issuesOf({ page: null, name: 7 })).toEqual([
      { path: 'page', message: '格式不正确' },
      { path: 'name', message: '格式不正确' },
    ]);
  });
});

describe("a schema's own messages (missingOr)", () => {
  it('say 缺少 only when the field is missing; a value of the wrong type is 格式不正确 (it said 缺少申请编号 for an object)', () => {
    const request = z.strictObject({ id: claimIdSchema });
    expect(issuesOf({}, request)).toEqual([{ path: 'id', message: '缺少申请编号' }]);
    expect(issuesOf({ id: { $ne: null } }, request)).toEqual([{ path: 'id', message: '申请编号格式不正确' }]);
    expect(issuesOf({ id: 42 }, request)).toEqual([{ path: 'id', message: '申请编号格式不正确' }]);
    expect(issuesOf({ id: 'a/b' }, request)).toEqual([{ path: 'id', message: '申请编号格式不正确' }]);
    const count = z.strictObject({ n: z.number({ error: missingOr('缺少数量', '数量应为数字') }) });
    expect(issuesOf({}, count)).toEqual([{ path: 'n', message: '缺少数量' }]);
    expect(issuesOf({ n: '3' }, count)).toEqual([{ path: 'n', message: '数量应为数字' }]);
  });
});

describe('each field and sentence once', () => {
  it('a value that breaks a schema twice with the same words is said once', () => {
    const twice = z.strictObject({ day: z.string().regex(/^\d/, '日期不对').regex(/\d$/, '日期不对') });
    expect(issuesOf({ day: 'x' }, twice)).toEqual([{ path: 'day', message: '日期不对' }]);
  });

  it('the claim form: 2026-02-30 and a list where a name goes are one line each (a probe saw them twice)', () => {
    const form = validForm({ visit: { visitDate: '2026-02-30' } });
    const issues = issuesOf({ ...form, hospital: { ...form.hospital, name: [] } }, claimFormSchema) as Array<{
      path: string;
    }>;
    const paths = issues.map((issue) => issue.path);
    expect(paths).toContain('visit.visitDate');
    expect(paths).toContain('hospital.name');
    expect(new Set(paths).size).toBe(paths.length);
  });
});
