/**
 * The zod boundary: `parseOrThrow(schema, input)` returns typed data or throws a DomainError
 * ('VALIDATION_FAILED') whose issues carry a field path and a message in plain Chinese.
 * Schemas write their own Chinese messages where a person will read them; anything zod phrases
 * itself (in English) is translated here by issue code, so no English reaches a claimant.
 */
import type * as z from 'zod';
import { DomainError, type FieldIssue } from './errors';

const CJK = /[\u4e00-\u9fff]/;

/**
 * What every boundary parses with: zod 4 leaves the input out of its issues unless asked, and without it a field sent
 * with the wrong type could not be told from a missing one (every wrong type read 此项必填).
 */
export const parseParams = { reportInput: true } as const;

/**
 * A schema's own messages for a field that is missing and for one of the wrong type (an object, a number):
 * `z.string({ error: missingOr('缺少申请编号', '申请编号格式不正确') })`. A single `error` string said 缺少 for both.
 */
export function missingOr(missing: string, wrongType: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? missing : wrongType);
}

function chineseMessage(issue: z.core.$ZodIssue): string {
  if (CJK.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '此项必填' : '格式不正确';
    case 'too_small':
      return issue.origin === 'string'
        ? `至少需要 ${String(issue.minimum)} 个字`
        : issue.origin === 'array'
          ? `至少需要 ${String(issue.minimum)} 项`
          : `不能小于 ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `不能超过 ${String(issue.maximum)} 个字`
        : issue.origin === 'array'
          ? `最多 ${String(issue.maximum)} 项`
          : `不能大于 ${String(issue.maximum)}`;
    case 'invalid_format':
      return '格式不正确';
    case 'invalid_value':
      return '不是允许的取值';
    case 'unrecognized_keys':
      return `包含不认识的字段：${issue.keys.join('、')}`;
    case 'not_multiple_of':
      return '数值不符合要求';
    case 'invalid_union':
      return '格式不正确';
    default:
      return '内容不正确';
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : String(part)))
    .join('.')
    .replace(/\.\[/g, '[');
}

/**
 * The issues as the person reads them: each field and sentence once. A value can break a schema twice with the same
 * words (a date that is neither a date nor in range, a list where a name goes): a probe saw one line under
 * 就诊日期 twice.
 */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    const shown = { path: formatPath(issue.path), message: chineseMessage(issue) };
    const key = `${shown.path}\u0000${shown.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(shown);
  }
  return issues;
}

export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  message = '填写的内容有误，请按提示修改',
): z.output<S> {
  const result = schema.safeParse(input, parseParams);
  if (result.success) return result.data;
  throw new DomainError('VALIDATION_FAILED', message, { issues: zodIssues(result.error) });
}
