/** zod's own issues in Chinese: a field sent with the wrong type is 格式不正确, only a missing one 此项必填. */
import * as z from 'zod';
import { DomainError } from './errors';
import { parseOrThrow } from './validation';

const schema = z.strictObject({ page: z.number(), name: z.string(), tags: z.array(z.string()).optional() });

function issuesOf(input: unknown): unknown {
  try {
    parseOrThrow(schema, input);
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
