/**
 * The desk names a claim's disease (门诊慢特病 / 两病 / 特殊门诊) as its policy lists it: the form keeps only the code the
 * claimant chose in 填写, and a reviewer reads 尿毒症透析, not dialysis. A claim of another visit kind has none.
 */
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { callers, embeddedPorts } from '../../test/support/ports';
import { actionsOn } from '../../test/support/calls';
import { requiredMaterialIds, uploadMaterials, validForm } from '../../test/support/fixtures';
import type { ReviewClaimDetail } from '../../src/core/contracts/views';

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
});
