/**
 * The desk names a claim's disease (门诊慢特病 / 两病 / 特殊门诊) as its policy lists it: the form keeps only the code the
 * claimant chose in 填写, and a reviewer reads 尿毒症透析, not dialysis. A claim of another visit kind has none.
 */
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { callers, embeddedPorts } from '../../test/support/ports';
import { actionsOn } from '../../test/support/calls';
import { requiredMaterialIds, uploadMaterials, validForm } from '../../test/support/fixtures';
import type { AuditTrail, ReviewClaimDetail } from '../../src/core/contracts/views';
import { correctionText } from '../../src/core/lineCorrections';

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;

describe('the disease on the reviewer page', () => {
  let ports: Ports;
  beforeEach(async () => {
    ports = await embeddedPorts();
  });
  const { ok } = actionsOn(() => ports);
  const filed = async (form: ReturnType<typeof validForm>, requestId: string): Promise<string> => {
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    return (
      await ok<{ id: string }>(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials } }, requestId)
    ).id;
  };

  it('is the policy name of the code chosen, and null for a visit without one', async () => {
    const special = validForm({
      guide: { scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip', visitKind: 'special' },
      visit: { visitDate: '2026-02-20', disease: 'dialysis' },
    });
    const id = await filed(special, 'disease-name-0001');
    const detail = await ok<ReviewClaimDetail>(reviewFunction, callers.reviewer, 'get', { id });
    expect(detail.diseaseName).toBe('尿毒症透析');
    expect(detail.estimate?.totalPaid).toBeGreaterThan(0);

    const plain = await filed(validForm(), 'disease-name-0002');
    expect(
      (await ok<ReviewClaimDetail>(reviewFunction, callers.reviewer, 'get', { id: plain })).diseaseName,
    ).toBeNull();
  });

  it('is corrected at the desk with the lines (修改费用明细): the claim is figured, named and recorded with the 病种 the 认定证明 shows; one not in the policy’s list is refused', async () => {
    // Filed as 糖尿病 (75 %, 5,000 元 a year); the certificate says 恶性肿瘤门诊放化疗 (85 %).
    const chronic = validForm({
      guide: { scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip', visitKind: 'chronic' },
      visit: { visitDate: '2026-02-20', disease: 'diabetes' },
    });
    const id = await filed(chronic, 'disease-name-0003');
    await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passPreliminary' });
    const before = await ok<ReviewClaimDetail>(reviewFunction, callers.reviewer, 'get', { id });
    expect(before.diseaseName).toBe('糖尿病（慢特病）');
    expect(before.diseaseChoices).toEqual([
      { code: 'tumor', name: '恶性肿瘤门诊放化疗' },
      { code: 'diabetes', name: '糖尿病（慢特病）' },
    ]);
    const lines = before.form!.lineItems;
    const { refused } = actionsOn(() => ports);
    for (const code of ['dialysis', 'toString']) {
      const error = await refused(reviewFunction, callers.reviewer, 'editLineItems', {
        id,
        lineItems: lines.map((line) => ({ ...line, disease: code })),
        reason: '按认定证明更正病种',
      });
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'lineItems.0.disease' }] });
    }
    const corrected = await ok<{ reviewEstimate: { totalPaid: number }; corrections: unknown[] }>(
      reviewFunction,
      callers.reviewer,
      'editLineItems',
      { id, lineItems: lines.map((line) => ({ ...line, disease: 'tumor' })), reason: '按认定证明更正病种' },
    );
    expect(corrected.corrections).toHaveLength(lines.length);
    const after = await ok<ReviewClaimDetail>(reviewFunction, callers.reviewer, 'get', { id });
    expect(after.diseaseName).toBe('恶性肿瘤门诊放化疗');
    expect(corrected.reviewEstimate.totalPaid).toBeGreaterThan(before.estimate!.totalPaid);
    expect(correctionText(after.corrections[0]!, (code) => (code === 'tumor' ? '恶性肿瘤门诊放化疗' : code))).toContain(
      '，病种 （按申请） → 恶性肿瘤门诊放化疗',
    );
    const trail = await ok<AuditTrail>(reviewFunction, callers.reviewer, 'audit', { id });
    expect(trail.diseaseChoices.map((disease) => disease.code)).toEqual(['tumor', 'diabetes']);
  });
});
