import fc from 'fast-check';
import * as z from 'zod';
import { findUnsafeCharacter, optionalPlainText, plainText, unsafeTextMessage, withoutFinalStop } from './text';
import { zodIssues } from './validation';

const hostile: Array<[string, string, string]> = [
  ['NUL', '北京\u0000协和', 'control'],
  ['BEL', '\u0007协和医院', 'control'],
  ['ESC', '协和医院\u001b[31m', 'control'],
  ['DEL', '协和\u007f', 'control'],
  ['C1 (NEL)', '协和\u0085医院', 'control'],
  ['C1 (CSI)', '协和\u009b医院', 'control'],
  ['line feed', '协和\n医院', 'control'],
  ['tab', '协和\t医院', 'control'],
  ['U+2028', '协和\u2028医院', 'lineBreak'],
  ['U+202E (RLO)', '协和\u202e4321', 'bidi'],
  ['U+202A (LRE)', '\u202a协和', 'bidi'],
  ['U+2066 (LRI)', '协和\u2066', 'bidi'],
  ['U+2069 (PDI)', '协和\u2069', 'bidi'],
  ['U+200E (LRM)', '协和\u200e', 'bidi'],
  ['U+200F (RLM)', '协和\u200f', 'bidi'],
  ['U+200B (ZWSP)', '协\u200b和', 'zeroWidth'],
  ['U+200D (ZWJ)', '协\u200d和', 'zeroWidth'],
  ['U+2060 (WJ)', '协\u2060和', 'zeroWidth'],
  ['BOM at the start', '\ufeff协和医院', 'zeroWidth'],
  ['lone high surrogate', '协和\ud83d', 'surrogate'],
  ['lone low surrogate', '\ude00协和', 'surrogate'],
  ['reversed pair', '协和\ude00\ud83d', 'surrogate'],
  // What a broken encoding leaves (a probe stored 药费��� from bytes that were not UTF-8).
  ['U+FFFD', '药费\ufffd', 'replacement'],
];

describe('findUnsafeCharacter', () => {
  it.each(hostile)('%s is found', (_name, text, kind) => {
    expect(findUnsafeCharacter(text)?.kind).toBe(kind);
  });

  it.each([
    ['北京协和医院'],
    ['Peking Union Medical College Hospital'],
    ['阿莫西林胶囊 0.25g×24粒'],
    ['复方甘草片（100 片）'],
    ['😀 表情'],
    ['𠀀 扩展 B 区汉字'],
    ['全角　空格'],
    [''],
  ])('clean text passes: %s', (text) => {
    expect(findUnsafeCharacter(text)).toBeNull();
  });

  it('allows tab, line feed and carriage return only in multi-line text', () => {
    expect(findUnsafeCharacter('第一行\r\n第二行\t完', { multiline: true })).toBeNull();
    expect(findUnsafeCharacter('第一行\u0000', { multiline: true })?.kind).toBe('control');
    expect(findUnsafeCharacter('第一行\u202e', { multiline: true })?.kind).toBe('bidi');
  });

  it('never accepts text containing any listed character, wherever it sits (property)', () => {
    const bad = fc.constantFrom(
      ...[
        0, 7, 8, 9, 10, 13, 27, 0x7f, 0x80, 0x9f, 0x2028, 0x2029, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a,
        0x202e, 0x2060, 0x2066, 0x2069, 0xfeff, 0xd800, 0xdbff, 0xdc00, 0xdfff,
      ].map((code) => String.fromCharCode(code)),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        bad,
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        (before, char, after) => {
          expect(findUnsafeCharacter(`${before}${char}${after}`)).not.toBeNull();
        },
      ),
      { numRuns: 2000, seed: 9 },
    );
  });

  it('accepts every well-formed printable string (property: CJK and ASCII printable)', () => {
    const printable = fc
      .oneof(
        fc.integer({ min: 0x20, max: 0x7e }),
        fc.integer({ min: 0x4e00, max: 0x9fff }),
        fc.integer({ min: 0x3000, max: 0x303f }),
      )
      .map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.array(printable, { maxLength: 60 }), (chars) => {
        expect(findUnsafeCharacter(chars.join(''))).toBeNull();
      }),
      { numRuns: 2000, seed: 10 },
    );
  });
});

describe('unsafeTextMessage', () => {
  it('names the field, the kind and the position (characters, not code units)', () => {
    expect(unsafeTextMessage('医院名称', '😀协\u202e和')).toBe(
      '医院名称含有看不见的文字方向控制符（第 3 个字符处），请删除后重新输入',
    );
    expect(unsafeTextMessage('开户银行', '工商\n银行')).toContain('这一栏只能写一行');
    expect(unsafeTextMessage('开户银行', '工商银行')).toBeNull();
    expect(unsafeTextMessage('医院名称', '协和\ufffd医院')).toBe(
      '医院名称含有乱码字符“\ufffd”（第 3 个字符处），可能是复制时文字编码出错，请删除后重新输入',
    );
  });
});

describe('plainText', () => {
  const schema = z.strictObject({ name: plainText('医院名称', 10) });

  it.each(hostile)('refuses %s with a Chinese message naming the field', (_name, text) => {
    const result = schema.safeParse({ name: text });
    expect(result.success).toBe(false);
    if (!result.success) {
      const [issue] = zodIssues(result.error);
      expect(issue).toEqual({ path: 'name', message: expect.stringMatching(/^医院名称含有(看不见的|乱码字符)/) });
    }
  });

  it('trims, requires and bounds clean text', () => {
    expect(schema.parse({ name: '  协和医院 ' })).toEqual({ name: '协和医院' });
    expect(zodIssues(schema.safeParse({ name: '   ' }).error!)).toEqual([{ path: 'name', message: '请填写医院名称' }]);
    expect(zodIssues(schema.safeParse({ name: '一'.repeat(11) }).error!)).toEqual([
      { path: 'name', message: '医院名称不能超过 10 个字' },
    ]);
    expect(zodIssues(schema.safeParse({}).error!)).toEqual([{ path: 'name', message: '请填写医院名称' }]);
  });

  it('optionalPlainText allows empty text but not unsafe characters', () => {
    const draft = optionalPlainText('费用名称', 5);
    expect(draft.parse('')).toBe('');
    expect(draft.safeParse('药\u0000').success).toBe(false);
    expect(draft.safeParse('一二三四五六').success).toBe(false);
  });

  it('multi-line text keeps its line breaks', () => {
    expect(plainText('说明', 50, { multiline: true }).parse('材料不全：\n缺少发票')).toBe('材料不全：\n缺少发票');
    expect(plainText('说明', 50).safeParse('材料不全：\n缺少发票').success).toBe(false);
  });
});

describe('withoutFinalStop', () => {
  it.each([
    ['请重新拍照上传。', '请重新拍照上传'],
    ['请重新拍照上传。。 ', '请重新拍照上传'],
    ['缺少处方！', '缺少处方'],
    ['Done.', 'Done'],
    ['金额 12.50', '金额 12.50'],
    ['', ''],
  ])('%j → %j', (text, expected) => {
    expect(withoutFinalStop(text)).toBe(expected);
  });
});
