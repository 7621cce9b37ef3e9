/**
 * How much one account may upload in a business day (Asia/Shanghai): photos of receipts and materials.
 * Pure: the caller gives the day's running totals, kept in one document per account and day and
 * updated in the same transaction as the file's record, so two uploads at once cannot both take the
 * last place.
 *
 * The figures: a 住院 claim with a long 费用清单 is about 40 photos, a retake or two each; a family filing
 * for three people in one evening stays far below 300. The app compresses a photo to 0.2–1 MB, and
 * the upload ceiling is 10 MB a file, so 300 MB is room for the worst photos. A probe that uploaded
 * without end had filled 228 MB of disk before this limit.
 */
import * as z from 'zod';

export interface UploadLimits {
  filesPerDay: number;
  bytesPerDay: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { filesPerDay: 300, bytesPerDay: 300 * 1024 * 1024 };

const positiveWhole = (name: string) =>
  z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, `${name} 应为 1 到 999999999 之间的整数`)
    .transform(Number)
    .optional();

const limitSettingsSchema = z.object({
  UPLOAD_FILES_PER_DAY: positiveWhole('UPLOAD_FILES_PER_DAY'),
  UPLOAD_MB_PER_DAY: positiveWhole('UPLOAD_MB_PER_DAY'),
});

/**
 * The limits an installation sets (UPLOAD_FILES_PER_DAY, UPLOAD_MB_PER_DAY in its environment), the
 * defaults for those it does not. A value that is not a positive whole number is refused, not ignored.
 */
export function uploadLimitsFrom(settings: Record<string, string | undefined>): UploadLimits {
  const parsed = limitSettingsSchema.safeParse(settings);
  if (!parsed.success) throw new RangeError(parsed.error.issues[0]?.message ?? '上传上限设置不正确');
  return {
    filesPerDay: parsed.data.UPLOAD_FILES_PER_DAY ?? DEFAULT_UPLOAD_LIMITS.filesPerDay,
    bytesPerDay:
      parsed.data.UPLOAD_MB_PER_DAY !== undefined
        ? parsed.data.UPLOAD_MB_PER_DAY * 1024 * 1024
        : DEFAULT_UPLOAD_LIMITS.bytesPerDay,
  };
}

/** An account's uploads on one day. */
export interface UploadTotals {
  files: number;
  bytes: number;
}

export type UploadAdmission =
  | { ok: true; totals: UploadTotals }
  | { ok: false; code: 'UPLOAD_LIMIT_REACHED'; message: string };

/** A size for a sentence: "5.9 MB", "1 MB" (no ".0"), under 0.1 MB in KB ("40 KB", at least 1). Sizes, not money. */
function sizeText(bytes: number): string {
  const tenths = Math.round((bytes / 1024 / 1024) * 10);
  if (tenths === 0) return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
  return `${tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)} MB`;
}

/** Whether one more file of `size` bytes fits in the day, and the day's totals with it. */
export function admitUpload(
  used: UploadTotals,
  size: number,
  limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
): UploadAdmission {
  if (used.files + 1 > limits.filesPerDay) {
    return {
      ok: false,
      code: 'UPLOAD_LIMIT_REACHED',
      message: `今天已上传 ${limits.filesPerDay} 张照片，达到每天的上限。已上传的照片都还在，请明天再继续；材料确实更多的，请联系经办机构。`,
    };
  }
  if (size > limits.bytesPerDay) {
    // Not a matter of the day: this photo would never fit (it said 今天上传的照片已近 1 MB on the day's first upload).
    return {
      ok: false,
      code: 'UPLOAD_LIMIT_REACHED',
      message: `这张照片有 ${sizeText(size)}，比每天可以上传的 ${sizeText(limits.bytesPerDay)} 还大。请换一张小一些的照片（例如截图，或拍摄时选小一些的尺寸）再上传。`,
    };
  }
  if (used.bytes + size > limits.bytesPerDay) {
    return {
      ok: false,
      code: 'UPLOAD_LIMIT_REACHED',
      message: `今天已上传 ${sizeText(used.bytes)} 照片，这张 ${sizeText(size)} 放不下了（每天最多 ${sizeText(limits.bytesPerDay)}）。已上传的照片都还在，请明天再继续；材料确实更多的，请联系经办机构。`,
    };
  }
  return { ok: true, totals: { files: used.files + 1, bytes: used.bytes + size } };
}
