import fc from 'fast-check';
import { DomainError } from './errors';
import {
  assertMaterialsComplete,
  materialDefinitions,
  materialIds,
  materialsChecklist,
  missingMaterials,
  missingMaterialsMessage,
  paperOriginals,
  type MaterialId,
} from './materials';
import { visitKinds, type VisitKind } from './policy/schema';
import { outOfRegionKinds, scenarioIds, scenarios, type ScenarioId } from './scenarios';

const ids = (items: { id: MaterialId }[]) => items.map((entry) => entry.id);
const requiredIds = (scenario: ScenarioId, kind: VisitKind, options = {}) =>
  ids(materialsChecklist(scenario, kind, options).filter((entry) => entry.required));
const optionalIds = (scenario: ScenarioId, kind: VisitKind, options = {}) =>
  ids(materialsChecklist(scenario, kind, options).filter((entry) => !entry.required));

describe('materialsChecklist', () => {
  it('an outpatient claim out of region on a temporary trip (the browser test path)', () => {
    expect(requiredIds('outOfRegion', 'outpatient', { outOfRegionKind: 'temporaryTrip' })).toEqual([
      'invoice',
      'itemizedList',
      'diagnosis',
      'prescription',
      'identity',
      'bankAccount',
    ]);
    expect(optionalIds('outOfRegion', 'outpatient', { outOfRegionKind: 'temporaryTrip' })).toEqual([
      'tripProof',
      'medicalRecord',
    ]);
  });

  it.each<[ScenarioId, VisitKind, object, MaterialId[]]>([
    [
      'outOfRegion',
      'inpatient',
      { outOfRegionKind: 'filed' },
      ['invoice', 'itemizedList', 'diagnosis', 'dischargeSummary', 'outOfRegionFiling', 'identity', 'bankAccount'],
    ],
    [
      'outOfRegion',
      'inpatient',
      { outOfRegionKind: 'referral' },
      ['invoice', 'itemizedList', 'diagnosis', 'dischargeSummary', 'referralCertificate', 'identity', 'bankAccount'],
    ],
    [
      'systemFailure',
      'outpatient',
      {},
      ['invoice', 'itemizedList', 'diagnosis', 'prescription', 'hospitalStatement', 'identity', 'bankAccount'],
    ],
    [
      'cardProblem',
      'inpatient',
      {},
      ['invoice', 'itemizedList', 'diagnosis', 'dischargeSummary', 'identity', 'bankAccount'],
    ],
    [
      'emergencyWithoutCard',
      'emergency',
      {},
      ['invoice', 'itemizedList', 'diagnosis', 'prescription', 'emergencyProof', 'identity', 'bankAccount'],
    ],
    [
      'emergencyWithoutCard',
      'inpatient',
      {},
      ['invoice', 'itemizedList', 'diagnosis', 'dischargeSummary', 'emergencyProof', 'identity', 'bankAccount'],
    ],
    [
      'arrearsOrStatusChange',
      'outpatient',
      {},
      ['invoice', 'itemizedList', 'diagnosis', 'prescription', 'arrearsPeriodProof', 'identity', 'bankAccount'],
    ],
    [
      'dischargeSettlement',
      'inpatient',
      {},
      ['invoice', 'itemizedList', 'diagnosis', 'dischargeSummary', 'identity', 'bankAccount'],
    ],
    [
      'dischargeSettlement',
      'maternity',
      { filedByAgent: true },
      ['invoice', 'itemizedList', 'diagnosis', 'dischargeSummary', 'identity', 'bankAccount', 'agentAuthorization'],
    ],
    [
      'externalPharmacy',
      'outpatient',
      {},
      ['diagnosis', 'prescription', 'externalPurchaseProof', 'pharmacyInvoice', 'identity', 'bankAccount'],
    ],
    [
      'externalPharmacy',
      'inpatient',
      {},
      [
        'diagnosis',
        'dischargeSummary',
        'externalPurchaseProof',
        'prescription',
        'pharmacyInvoice',
        'identity',
        'bankAccount',
      ],
    ],
    [
      'thirdParty',
      'accident',
      {},
      [
        'invoice',
        'itemizedList',
        'diagnosis',
        'prescription',
        'accidentReport',
        'compensationStatement',
        'identity',
        'bankAccount',
      ],
    ],
    [
      'systemFailure',
      'accident',
      {},
      [
        'invoice',
        'itemizedList',
        'diagnosis',
        'prescription',
        'injuryStatement',
        'hospitalStatement',
        'identity',
        'bankAccount',
      ],
    ],
    [
      'systemFailure',
      'chronic',
      {},
      [
        'invoice',
        'itemizedList',
        'diagnosis',
        'prescription',
        'diseaseCertification',
        'hospitalStatement',
        'identity',
        'bankAccount',
      ],
    ],
  ])('%s / %s %j requires %j', (scenario, kind, options, expected) => {
    expect(requiredIds(scenario, kind, options)).toEqual(expected);
  });

  it('两病 asks for the 备案 proof as optional; maternity suggests the birth certificate', () => {
    expect(optionalIds('cardProblem', 'twoDiseases')).toEqual([
      'diseaseCertification',
      'cardProblemReceipt',
      'medicalRecord',
    ]);
    expect(optionalIds('dischargeSettlement', 'maternity')).toEqual(['birthCertificate', 'medicalRecord']);
  });

  it('every item carries its label, a Chinese reason and the right flags', () => {
    const checklist = materialsChecklist('systemFailure', 'inpatient');
    const invoice = checklist.find((entry) => entry.id === 'invoice');
    expect(invoice).toEqual({
      id: 'invoice',
      ...materialDefinitions.invoice,
      required: true,
      originalPaperNeeded: true,
    });
    expect(ids(paperOriginals(checklist))).toEqual(['invoice', 'hospitalStatement']);
    expect(ids(paperOriginals(materialsChecklist('systemFailure', 'inpatient', { electronicInvoice: true })))).toEqual([
      'hospitalStatement',
    ]);
    expect(paperOriginals(materialsChecklist('systemFailure', 'inpatient', { paperOriginalsRequired: false }))).toEqual(
      [],
    );
    for (const id of materialIds) {
      expect(materialDefinitions[id].label).toMatch(/[\u4e00-\u9fff]/);
      expect(materialDefinitions[id].why).toMatch(/[\u4e00-\u9fff].*。$/);
    }
  });

  it('property: for every scenario, visit kind and option, the checklist has the always-items, no duplicates, required first', () => {
    const scenarioVisit = fc
      .constantFrom(...scenarioIds)
      .chain((scenario) => fc.tuple(fc.constant(scenario), fc.constantFrom(...visitKinds)));
    const options = fc.record(
      {
        outOfRegionKind: fc.constantFrom(...outOfRegionKinds),
        filedByAgent: fc.boolean(),
        electronicInvoice: fc.boolean(),
        paperOriginalsRequired: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(scenarioVisit, options, ([scenario, kind], opts) => {
        const checklist = materialsChecklist(scenario, kind, opts);
        const list = ids(checklist);
        expect(new Set(list).size).toBe(list.length);
        // Medicine bought outside: the pharmacy's invoice and list are the receipts, a hospital's optional.
        const receipts = scenario === 'externalPharmacy' ? ['pharmacyInvoice'] : ['invoice', 'itemizedList'];
        for (const always of [...receipts, 'diagnosis', 'identity', 'bankAccount'] as const) {
          expect(checklist.find((entry) => entry.id === always)?.required).toBe(true);
        }
        if (scenario === 'externalPharmacy')
          expect(checklist.filter((entry) => entry.id === 'invoice' || entry.id === 'itemizedList')).toEqual([
            expect.objectContaining({ required: false }),
            expect.objectContaining({ required: false }),
          ]);
        const firstOptional = checklist.findIndex((entry) => !entry.required);
        if (firstOptional >= 0) expect(checklist.slice(firstOptional).every((entry) => !entry.required)).toBe(true);
        expect(list.includes('agentAuthorization')).toBe(opts.filedByAgent === true);
        const outpatientLike = ['outpatient', 'chronic', 'twoDiseases', 'special', 'emergency', 'accident'].includes(
          kind,
        );
        if (outpatientLike || scenario === 'externalPharmacy') expect(list).toContain('prescription');
        if (kind === 'inpatient' || kind === 'maternity') expect(list).toContain('dischargeSummary');
      }),
      { numRuns: 500 },
    );
  });

  it('covers every visit kind the guide can produce for every scenario', () => {
    for (const scenario of scenarioIds)
      for (const kind of scenarios[scenario].visitKinds)
        expect(materialsChecklist(scenario, kind).length).toBeGreaterThanOrEqual(6);
  });
});

describe('missingMaterials', () => {
  const checklist = materialsChecklist('outOfRegion', 'outpatient', { outOfRegionKind: 'temporaryTrip' });

  it('names the required items that have no photo, in checklist order, and ignores optional ones', () => {
    const missing = missingMaterials(checklist, {
      invoice: ['a.jpg', 'b.jpg'],
      itemizedList: [],
      prescription: 1,
      identity: ['id.jpg'],
      medicalRecord: [],
    });
    expect(missing).toEqual([
      { id: 'itemizedList', label: '费用明细清单' },
      { id: 'diagnosis', label: '诊断证明' },
      { id: 'bankAccount', label: '收款银行卡' },
    ]);
    expect(missingMaterialsMessage(missing)).toBe('还缺少：费用明细清单、诊断证明、收款银行卡。请拍照上传后再提交');
  });

  it('is empty once every required item has a photo; a count of 0 does not count', () => {
    const all = Object.fromEntries(checklist.filter((entry) => entry.required).map((entry) => [entry.id, ['x']]));
    expect(missingMaterials(checklist, all)).toEqual([]);
    expect(missingMaterialsMessage([])).toBeNull();
    expect(missingMaterials(checklist, { ...all, diagnosis: 0 })).toEqual([{ id: 'diagnosis', label: '诊断证明' }]);
    expect(() => assertMaterialsComplete(checklist, all)).not.toThrow();
  });

  it('assertMaterialsComplete throws MATERIALS_MISSING with issues per item', () => {
    try {
      assertMaterialsComplete(checklist, {});
      throw new Error('expected a DomainError');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      const domain = error as DomainError;
      expect(domain.code).toBe('MATERIALS_MISSING');
      expect(domain.details).toEqual({
        missing: ['invoice', 'itemizedList', 'diagnosis', 'prescription', 'identity', 'bankAccount'],
      });
      expect(domain.issues?.[0]).toEqual({ path: 'materials.invoice', message: '请上传医院发票 / 收费票据' });
    }
  });
});

describe('a minor paid into a guardian account', () => {
  it('asks for the 监护关系证明 in place of the 委托书 (a walk: the one 户口簿 asked for twice)', () => {
    const ids = (options: Parameters<typeof materialsChecklist>[2]) =>
      materialsChecklist('cardProblem', 'outpatient', options)
        .filter((item) => item.required)
        .map((item) => item.id);
    expect(ids({ filedByAgent: true, payoutToGuardian: true })).toContain('guardianProof');
    expect(ids({ filedByAgent: true, payoutToGuardian: true })).not.toContain('agentAuthorization');
    expect(ids({ filedByAgent: true })).toContain('agentAuthorization');
    expect(ids({ filedByAgent: true })).not.toContain('guardianProof');
  });
});
