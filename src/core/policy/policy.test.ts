import { isDomainError, type DomainError } from '../errors';
import {
  parsePolicy,
  policyYearOf,
  policyYearSpan,
  resolvePolicy,
  samplePolicies,
  samplePolicyFiles,
  lastDayBeforeSuccessor,
  selectPolicy,
  type PolicyDocument,
} from '.';

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const raw = (id: string): Json => clone(samplePolicyFiles[id]) as Json;

function refusal(input: unknown): DomainError {
  try {
    parsePolicy(input);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('the policy was accepted');
}

describe('sample policies', () => {
  it('all parse, are marked 示例 and quote their sources', () => {
    expect(samplePolicies.length).toBeGreaterThanOrEqual(3);
    for (const policy of samplePolicies) {
      expect(policy.sample).toBe(true);
      expect(policy.sources.length).toBeGreaterThan(0);
      expect(policy.sources.every((source) => /seeds\//.test(source.title) && source.reference.length > 10)).toBe(true);
      expect(policy.title).toContain('示例');
    }
  });

  it('one region has both 居民 and 职工, and another region differs', () => {
    const dalian = samplePolicies
      .filter((policy) => policy.region === '210200')
      .map((policy) => policy.insuranceType)
      .sort();
    expect(dalian).toEqual(['employee', 'resident']);
    const others = samplePolicies.filter((policy) => policy.region !== '210200');
    expect(others.length).toBeGreaterThan(0);
    expect(others.some((policy) => policy.filingDeadline.kind === 'nextYearDate')).toBe(true);
  });

  it('each resolves on a date inside its validity', () => {
    for (const policy of samplePolicies) expect(resolvePolicy(policy, '2025-06-30').asOf).toBe('2025-06-30');
  });
});

describe('parsePolicy refuses a broken document with the path of the fault', () => {
  it('refuses text a reader would not see (NUL, a lone surrogate, a direction mark) and names an id fault as an id', () => {
    for (const [path, value] of [
      ['title', '大连示例\u0000政策'],
      ['title', '大连示例政策\ud800'],
      ['regionName', '大连\u202e市'],
      ['notes', '示例\u200b说明'],
    ] as const) {
      const doc = raw('dalian-resident-2025');
      doc[path] = value;
      expect(refusal(doc).issues).toEqual([{ path, message: expect.stringMatching(/含有看不见的|含有/) }]);
    }
    const doc = raw('dalian-resident-2025');
    doc.id = 'dalian@2025';
    expect(refusal(doc).issues).toEqual([{ path: 'id', message: '政策编号以字母开头，只能由字母、数字、-、_ 组成' }]);
  });

  it('refuses a ratio under 1 % as a percentage written as is, saying what to write (an operator walk: 70 meant 70 %)', () => {
    const doc = raw('dalian-employee-2025');
    doc.outpatient.ratio.level3 = 70;
    expect(refusal(doc).issues).toEqual([
      {
        path: 'outpatient.ratio.level3',
        message: '写的是 70，即 0.70%，不到 1%：如果是 70%，请写 7000（万分比，10000 = 100%）',
      },
    ]);
    doc.outpatient.ratio.level3 = 0;
    expect(() => parsePolicy(doc)).not.toThrow();
  });

  it('names the path of a bad deductible', () => {
    const doc = raw('dalian-resident-2025');
    doc.inpatient.deductible.first.level3 = -1;
    const error = refusal(doc);
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.message).toContain('inpatient.deductible.first.level3');
    expect(error.issues).toEqual([{ path: 'inpatient.deductible.first.level3', message: '金额不能为负数' }]);
  });

  it('names a missing field, a ratio above 100% and an unknown key, all at once', () => {
    const doc = raw('dalian-resident-2025');
    delete doc.inpatient.deductible.first.level2;
    doc.outpatient.ratio = 12000;
    doc.twoDiseases.diseases.hypertension.limit = 1;
    const paths = refusal(doc).issues!.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'inpatient.deductible.first.level2',
        'outpatient.ratio',
        'twoDiseases.diseases.hypertension',
      ]),
    );
    expect(refusal(doc).issues!.find((issue) => issue.path === 'inpatient.deductible.first.level2')!.message).toBe(
      '此项必填',
    );
  });

  it('checks dated tables: real dates, and the value under each date', () => {
    const doc = raw('dalian-resident-2025');
    doc.outpatient.annualLimit = { '2025-01-01': 15000, '2025-02-30': 20000 };
    expect(refusal(doc).issues!.map((issue) => issue.path)).toContain('outpatient.annualLimit.2025-02-30');
    doc.outpatient.annualLimit = { '2025-01-01': 15000, '2025-07-01': 1.5 };
    expect(refusal(doc).issues).toEqual([
      { path: 'outpatient.annualLimit.2025-07-01', message: '金额应为以分为单位的整数（例如 1,300 元写 130000）' },
    ]);
  });

  it('names the new key when a document uses one the format renamed (yearly → annual)', () => {
    const doc = raw('dalian-resident-2025');
    doc.outpatient.yearlyLimit = doc.outpatient.annualLimit;
    delete doc.outpatient.annualLimit;
    doc.twoDiseases.diseases.diabetes.yearlyLimit = 37500;
    doc.inpatient.deductible.yearlyCap = 30000;
    expect(refusal(doc).issues).toEqual([
      { path: 'inpatient.deductible.yearlyCap', message: '此项已更名为 annualCap（含义不变），请改用新名称' },
      { path: 'outpatient.yearlyLimit', message: '此项已更名为 annualLimit（含义不变），请改用新名称' },
      {
        path: 'twoDiseases.diseases.diabetes.yearlyLimit',
        message: '此项已更名为 annualLimit（含义不变），请改用新名称',
      },
    ]);
  });

  it('checks segments and tiers are increasing and end open', () => {
    const doc = raw('beijing-employee-2025');
    doc.inpatient.segments.bands[1].upTo = 2000000;
    expect(refusal(doc).issues!.map((issue) => issue.path)).toContain('inpatient.segments.bands[1].upTo');
    const resident = raw('dalian-resident-2025');
    resident.majorIllness.tiers.value[2].upTo = 30000000;
    expect(refusal(resident).issues!.map((issue) => issue.path)).toContain('majorIllness.tiers.value[2].upTo');
  });

  it('refuses a wrong mode; then (cross-field checks run once the fields are sound) ratio with segments and a duplicate cap id', () => {
    const doc = raw('beijing-employee-2025');
    doc.inpatient.deductible.later.mode = 'half';
    expect(refusal(doc).issues!.map((issue) => issue.path)).toEqual(['inpatient.deductible.later.mode']);
    const both = raw('beijing-employee-2025');
    both.inpatient.ratio = 8000;
    both.fundCaps.push({ ...both.fundCaps[0] });
    expect(refusal(both).issues!.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['inpatient.segments', 'fundCaps[1].id']),
    );
  });

  it('大病 ratios by category: refused where the engine would not honour them, each with its path and a sentence', () => {
    const single = (doc: Json) => {
      doc.majorIllness.tiers = [{ upTo: null, ratio: 8000 }];
      return doc;
    };
    const ok = single(raw('shishi-resident-2025'));
    ok.majorIllness.categoryRatios = {
      A: 8000,
      B: { '2025-01-01': 7500, '2025-07-01': { value: 7000, reference: '某医保发〔2025〕1号' } },
      implant: 7000,
    };
    expect(parsePolicy(ok).majorIllness?.categoryRatios?.B).toBeDefined();
    expect(resolvePolicy(parsePolicy(ok), '2025-08-01').majorIllness?.categoryRatios).toEqual({
      A: 8000,
      B: 7000,
      implant: 7000,
    });
    expect(resolvePolicy(parsePolicy(ok), '2025-08-01').sources['majorIllness.categoryRatios.B']).toEqual({
      since: '2025-07-01',
      reference: '某医保发〔2025〕1号',
    });

    // Several tiers: no rule for both, so not accepted.
    const tiered = raw('shishi-resident-2025');
    tiered.majorIllness.categoryRatios = { B: 7500 };
    expect(refusal(tiered).issues).toEqual([
      { path: 'majorIllness.categoryRatios', message: expect.stringContaining('只能与单一分段同用') },
    ]);
    // A class the policy does not recognise (no selfPayFirst share): its lines count as 甲/乙类, so the ratio would never be used.
    const unknownClass = single(raw('shishi-resident-2025'));
    unknownClass.majorIllness.categoryRatios = { trialTest: 7000 };
    expect(refusal(unknownClass).issues).toEqual([
      {
        path: 'majorIllness.categoryRatios.trialTest',
        message: expect.stringContaining('selfPayFirst 中写明 trialTest'),
      },
    ]);
    // Empty, an unknown category, a ratio above 100%.
    const empty = single(raw('shishi-resident-2025'));
    empty.majorIllness.categoryRatios = {};
    expect(refusal(empty).issues!.map((issue) => issue.path)).toEqual(['majorIllness.categoryRatios']);
    const wrong = single(raw('shishi-resident-2025'));
    wrong.majorIllness.categoryRatios = { C: 5000, B: 12000 };
    expect(
      refusal(wrong)
        .issues!.map((issue) => issue.path)
        .sort(),
    ).toEqual(['majorIllness.categoryRatios', 'majorIllness.categoryRatios.B']);
  });

  it('refuses something that is not a policy at all', () => {
    expect(refusal(null).code).toBe('POLICY_INVALID');
    expect(refusal({}).issues!.length).toBeGreaterThan(5);
  });
});

describe('resolvePolicy: values keyed by the date they take effect', () => {
  const doc = raw('dalian-resident-2025');
  doc.outpatient.annualLimit = { '2025-01-01': 15000, '2025-07-01': 20000 };
  doc.inpatient.deductible.first = {
    '2025-01-01': { level1: 20000, level2: 40000, level3: 60000 },
    '2025-10-01': 50000,
  };
  const policy = parsePolicy(doc);

  it('takes the latest value on or before the date', () => {
    expect(resolvePolicy(policy, '2025-06-30').outpatient!.annualLimit).toBe(15000);
    expect(resolvePolicy(policy, '2025-07-01').outpatient!.annualLimit).toBe(20000);
    expect(resolvePolicy(policy, '2025-09-30').inpatient!.deductible.first).toEqual({
      level1: 20000,
      level2: 40000,
      level3: 60000,
    });
    expect(resolvePolicy(policy, '2025-10-01').inpatient!.deductible.first).toBe(50000);
  });

  it('says which parameter has no value yet', () => {
    const late = raw('dalian-resident-2025');
    late.accident.ratio = { '2025-03-01': 9000 };
    const error = (() => {
      try {
        resolvePolicy(parsePolicy(late), '2025-02-01');
      } catch (caught) {
        return caught as DomainError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('POLICY_PARAMETER_NOT_IN_FORCE');
    expect(error?.message).toContain('accident.ratio');
  });

  it('refuses a date outside the document', () => {
    expect(() => resolvePolicy(policy, '2024-12-31')).toThrow(expect.objectContaining({ code: 'POLICY_NOT_IN_FORCE' }));
  });
});

describe('selectPolicy', () => {
  const base = parsePolicy(raw('dalian-resident-2025'));
  const next = parsePolicy({
    ...raw('dalian-resident-2025'),
    id: 'dalian-resident-2025-h2',
    version: '2025.2',
    effectiveFrom: '2025-07-01',
  });
  const policies: PolicyDocument[] = [...samplePolicies, next];

  it('picks by region, insurance type and date of service; the later version wins', () => {
    expect(selectPolicy(policies, '210200', 'resident', '2025-03-01').id).toBe(base.id);
    expect(selectPolicy(policies, '210200', 'resident', '2025-08-01').id).toBe('dalian-resident-2025-h2');
    expect(selectPolicy(policies, '210200', 'employee', '2025-08-01').id).toBe('dalian-employee-2025');
    expect(selectPolicy(policies, '110000', 'employee', '2025-12-31').id).toBe('beijing-employee-2025');
  });

  it('a replaced version keeps the days before its successor starts, up to its own end; none when replaced whole', () => {
    expect(lastDayBeforeSuccessor({ effectiveFrom: '2025-01-01' }, '2026-07-01')).toBe('2026-06-30');
    expect(lastDayBeforeSuccessor({ effectiveFrom: '2025-01-01' }, '2025-03-01')).toBe('2025-02-28');
    expect(lastDayBeforeSuccessor({ effectiveFrom: '2025-01-01', effectiveTo: '2025-12-31' }, '2026-07-01')).toBe(
      '2025-12-31',
    );
    expect(lastDayBeforeSuccessor({ effectiveFrom: '2025-01-01' }, '2025-01-02')).toBe('2025-01-01');
    expect(lastDayBeforeSuccessor({ effectiveFrom: '2025-01-01' }, '2025-01-01')).toBeNull();
    expect(lastDayBeforeSuccessor({ effectiveFrom: '2025-07-01' }, '2025-01-01')).toBeNull();
  });

  it('explains in Chinese when nothing applies', () => {
    expect(() => selectPolicy(policies, '210200', 'resident', '2024-12-31')).toThrow(
      expect.objectContaining({
        code: 'POLICY_NOT_FOUND',
        message: expect.stringMatching(
          /^大连市居民医保暂时没有适用于 2024-12-31 就诊的报销政策（已有的政策适用于：2025-01-01.*请先核对就诊日期.*12393/,
        ),
      }),
    );
    expect(() => selectPolicy(policies, '110000', 'resident', '2025-03-01')).toThrow(
      expect.objectContaining({
        code: 'POLICY_NOT_FOUND',
        message: expect.stringMatching(/^系统中还没有北京市居民医保的报销政策.*请核对参保地和险种.*12393/),
      }),
    );
  });
});

describe('a value may carry its own reference; sample values are data', () => {
  const doc = raw('dalian-resident-2025');
  doc.outpatient.annualLimit = {
    '2025-01-01': 15000,
    '2025-07-01': { value: 20000, reference: '某医保发〔2025〕12号 第三条' },
  };
  doc.outpatient.ratio = { value: 5000, reference: '“门诊统筹：支付比例：50%”（seeds/003）' };
  doc.sampleValues = ['inpatient.deductible.first', 'fundCaps[0].amount'];
  const policy = parsePolicy(doc);

  it('resolves the value and remembers since when it holds, its reference and whether it is a sample', () => {
    expect(resolvePolicy(policy, '2025-07-01').outpatient!.annualLimit).toBe(20000);
    expect(resolvePolicy(policy, '2025-07-01').sources['outpatient.annualLimit']).toEqual({
      since: '2025-07-01',
      reference: '某医保发〔2025〕12号 第三条',
    });
    expect(resolvePolicy(policy, '2025-06-30').sources['outpatient.annualLimit']).toEqual({ since: '2025-01-01' });
    expect(resolvePolicy(policy, '2025-06-30').sources['outpatient.ratio']).toEqual({
      since: '2025-01-01',
      reference: '“门诊统筹：支付比例：50%”（seeds/003）',
    });
    expect(resolvePolicy(policy, '2025-06-30').sources['inpatient.deductible.first']).toEqual({
      since: '2025-01-01',
      sample: true,
    });
    expect(resolvePolicy(policy, '2025-06-30').sources['inpatient.deductible.first.level3']).toEqual({
      since: '2025-01-01',
      sample: true,
    });
    expect(resolvePolicy(policy, '2025-06-30').sources['fundCaps[0].amount']).toEqual({
      since: '2025-01-01',
      sample: true,
    });
  });

  it('names the path of a bad reference or value, and of a sample path the document lacks', () => {
    const bad = raw('dalian-resident-2025');
    bad.outpatient.annualLimit = { '2025-01-01': { value: 1.5, reference: '' } };
    bad.sampleValues = ['outpatient.nothing'];
    expect(refusal(bad).issues).toEqual(
      expect.arrayContaining([
        { path: 'outpatient.annualLimit.2025-01-01.reference', message: '请填写文件号或引文' },
        {
          path: 'outpatient.annualLimit.2025-01-01.value',
          message: '金额应为以分为单位的整数（例如 1,300 元写 130000）',
        },
      ]),
    );
    const unknownPath = raw('dalian-resident-2025');
    unknownPath.sampleValues = ['outpatient.nothing'];
    expect(refusal(unknownPath).issues).toEqual([
      { path: 'sampleValues[0]', message: '文件中没有参数 outpatient.nothing' },
    ]);
    const official = raw('dalian-resident-2025');
    official.sample = false;
    official.sampleValues = ['inpatient.deductible.first'];
    expect(refusal(official).issues).toEqual([
      { path: 'sampleValues', message: '正式政策（sample: false）不能含示例值' },
    ]);
  });

  it('says in Chinese which field is wrong, the key in brackets (a probe: effectiveTo 不能早于 effectiveFrom)', () => {
    const backwards = raw('dalian-employee-2025');
    backwards.effectiveTo = '2024-01-01';
    expect(refusal(backwards).issues).toEqual([
      { path: 'effectiveTo', message: '失效日期（effectiveTo）不能早于生效日期（effectiveFrom）' },
    ]);
  });

  it("refuses a retirees' ratio in a 居民医保 document wherever it is written", () => {
    const resident = raw('shishi-resident-2025');
    resident.inpatient.segments.bands[1].retiredRatio = 9500;
    resident.twoDiseases.diseases.diabetes.retiredRatio = 7000;
    expect(refusal(resident).issues).toEqual([
      {
        path: 'inpatient.segments.bands[1].retiredRatio',
        message: '居民医保不区分退休与在职，不能填写退休人员报销比例（retiredRatio）',
      },
      {
        path: 'twoDiseases.diseases.diabetes.retiredRatio',
        message: '居民医保不区分退休与在职，不能填写退休人员报销比例（retiredRatio）',
      },
    ]);
  });
});

describe('policy years', () => {
  it('are calendar years unless the document says where its year starts', () => {
    const calendar = parsePolicy(raw('dalian-resident-2025'));
    expect(policyYearOf(calendar, '2025-01-01')).toBe(2025);
    expect(policyYearOf(calendar, '2025-12-31')).toBe(2025);
    const july = parsePolicy({ ...raw('dalian-resident-2025'), policyYearStart: '07-01' });
    expect(policyYearOf(july, '2025-06-30')).toBe(2024);
    expect(policyYearOf(july, '2025-07-01')).toBe(2025);
    expect(policyYearSpan(july, 2025)).toEqual({ from: '2025-07-01', to: '2026-06-30' });
    expect(policyYearSpan(calendar, 2024)).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(refusal({ ...raw('dalian-resident-2025'), policyYearStart: '02-29' }).issues![0]!.path).toBe(
      'policyYearStart',
    );
  });
});
