import fc from 'fast-check';
import { claimNumberOf } from './claimNumber';
import { QUEUE_SEARCH_HINT, queueSearchSchema, readQueueSearch } from './queueSearch';

const SPECIMEN_ID = '11010519491231002X';

describe('查找申请: what a reviewer types, read into one kind of search', () => {
  it('reads a 申请编号 as read out on the phone: any case, spaces, full-width characters', () => {
    for (const typed of ['YB3F9A0C21D4', 'yb3f9a0c21d4', ' YB 3F9A 0C21 D4 ', 'ＹＢ３Ｆ９Ａ０Ｃ２１Ｄ４']) {
      expect(readQueueSearch(typed)).toEqual({ ok: true, search: { kind: 'claimNumber', value: 'YB3F9A0C21D4' } });
    }
  });

  it('reads a 申请编号 without its YB, when it has a letter (a desk walk: 07A276553B was read as a 身份证号)', () => {
    expect(readQueueSearch('07a276553b')).toEqual({ ok: true, search: { kind: 'claimNumber', value: 'YB07A276553B' } });
    expect(readQueueSearch('1101051949')).toEqual({ ok: false, message: '身份证号应为 18 位，现在是 10 位' });
  });

  it('reads a claim id in full (the 受理 cards sent before the 申请编号) as its 申请编号', () => {
    const claimId = '5d41402abc4b2a76b9719d911017c592';
    expect(readQueueSearch(claimId)).toEqual({
      ok: true,
      search: { kind: 'claimNumber', value: claimNumberOf(claimId) },
    });
  });

  it('reads an envelope 邮寄编号, and says what is wrong with a number of neither length', () => {
    expect(readQueueSearch('yb7k 3q2m')).toEqual({ ok: true, search: { kind: 'mailCode', value: 'YB7K3Q2M' } });
    const short = readQueueSearch('YB7K3Q2');
    expect(short).toEqual({ ok: false, message: expect.stringContaining('不是完整的编号') });
    // A 邮寄编号 never has 0, O, 1 or I: eight characters with one of them are neither kind.
    expect(readQueueSearch('YB7K3Q20').ok).toBe(false);
  });

  it('reads a 身份证号 normalised as the form stores it, and says a typo instead of searching for it', () => {
    expect(readQueueSearch('110105 19491231 002x')).toEqual({
      ok: true,
      search: { kind: 'idNumber', value: SPECIMEN_ID },
    });
    expect(readQueueSearch('110105194912310021')).toEqual({
      ok: false,
      message: '身份证号校验位不对，可能有数字输错了，请逐位核对',
    });
    expect(readQueueSearch('1101051949')).toEqual({ ok: false, message: '身份证号应为 18 位，现在是 10 位' });
  });

  it('reads a name as the form stores it (minority names with ·), and anything else gets the hint', () => {
    for (const typed of ['王小明', ' 王 小明 ', '王　小　明']) {
      expect(readQueueSearch(typed)).toEqual({ ok: true, search: { kind: 'name', value: '王小明' } });
    }
    expect(readQueueSearch('Ybarra')).toEqual({ ok: true, search: { kind: 'name', value: 'Ybarra' } });
    expect(readQueueSearch('Anna  Li')).toEqual({ ok: true, search: { kind: 'name', value: 'Anna Li' } });
    expect(readQueueSearch('阿依古丽•买买提')).toEqual({
      ok: true,
      search: { kind: 'name', value: '阿依古丽·买买提' },
    });
    for (const typed of ['', '   ', '王', '!!', '<script>']) {
      expect(readQueueSearch(typed)).toEqual({ ok: false, message: QUEUE_SEARCH_HINT });
    }
  });

  it('answers every string with a search or a sentence, never a throw (the schema too)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (typed) => {
        const read = readQueueSearch(typed);
        if (!read.ok) expect(read.message.length).toBeGreaterThan(0);
        const parsed = queueSearchSchema.safeParse(typed);
        expect(parsed.success).toBe(read.ok && typed.length <= 60);
      }),
    );
  });

  it('every claim number a claim id gives is read back as that claim number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), (claimId) => {
        expect(readQueueSearch(claimNumberOf(claimId))).toEqual({
          ok: true,
          search: { kind: 'claimNumber', value: claimNumberOf(claimId) },
        });
      }),
    );
  });
});
