/** A complete, valid claim form (大连 职工医保, 异地临时外出 outpatient) and helpers to build variants. */
import sharp from 'sharp';
import { checklistOf, type ClaimFormInput } from '../../src/core/contracts/claim';
import { idNumberCheckChar } from '../../src/core/identity';
import type { MaterialId } from '../../src/core/materials';
import type { DiskFiles } from '../../server/adapters/embedded/files';

/** A syntactically valid 身份证号 (GB 11643 checksum) for a birth date and sequence. */
export function idNumber(birth = '19800101', sequence = '123', region = '210202'): string {
  const first17 = `${region}${birth}${sequence}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

/** A Luhn-valid 19-digit card number. */
export const bankAccount = '6222020200112233445';

export function validForm(overrides: Partial<ClaimFormInput> = {}): ClaimFormInput {
  return {
    guide: { scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip', visitKind: 'outpatient' },
    insured: {
      relation: 'self',
      name: '张三',
      idNumber: idNumber(),
      insuranceType: 'employee',
      retired: false,
      region: '210200',
    },
    hospital: { name: '北京协和医院', level: 3 },
    visit: { visitDate: '2026-02-20' },
    lineItems: [
      { name: '西药费', amountFen: 86000, category: 'A' },
      { name: '检查费', amountFen: 42050, category: 'B' },
      { name: '自费材料', amountFen: 5000, category: 'C' },
    ],
    payout: { bankName: '中国工商银行大连分行', accountNumber: bankAccount, holderName: '张三' },
    phone: '13800138000',
    electronicInvoice: false,
    originals: { method: 'mail', trackingNumber: 'SF1234567890' },
    materials: {},
    declarationAccepted: true,
    ...overrides,
  };
}

export async function jpegBytes(label = 'receipt', width = 320, height = 200): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fffef8"/><text x="20" y="60" font-size="28" font-family="WenQuanYi Micro Hei">${label}</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

let photoSerial = 0;

/** The materials a form's checklist requires (the ids to upload for it). */
export function requiredMaterialIds(form: unknown): MaterialId[] {
  return checklistOf(form as never, true)
    .filter((item) => item.required)
    .map((item) => item.id);
}

/** Uploads one photo per material as `owner` (each photo distinct) and returns the materials map of the form. */
export async function uploadMaterials(
  files: Pick<DiskFiles, 'put'>,
  owner: string,
  ids: readonly MaterialId[],
): Promise<Partial<Record<MaterialId, string[]>>> {
  const materials: Partial<Record<MaterialId, string[]>> = {};
  for (const id of ids) {
    photoSerial += 1;
    const stored = await files.put(owner, `${id}.jpg`, 'image/jpeg', await jpegBytes(`${id} #${photoSerial}`));
    materials[id] = [stored.fileID];
  }
  return materials;
}

/** The Shanghai calendar date `days` days before now, 'YYYY-MM-DD' (for tests against the real clock). */
export function recentDate(days: number, now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000 - days * 86_400_000).toISOString().slice(0, 10);
}
