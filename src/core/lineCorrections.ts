/**
 * A reviewer's line correction as one sentence, the same on the claim page and in the audit export: the line before and
 * after with name, 医保类别 and amount. The audit printed name and amount only, so a 甲类 → 乙类 change — which moved the
 * payment from 744.10 to 768.16 元 — read 化验费 343.71 元 → 化验费 343.71 元 (a walk).
 */
import type { LineCorrection } from './contracts/views';
import type { LineItem } from './engine';
import { formatYuan } from './money';

export const categoryLabels: Record<LineItem['category'], string> = { A: '甲类', B: '乙类', C: '丙类/自费' };

const lineText = (item: LineItem): string =>
  `${item.name} ${categoryLabels[item.category]} ${formatYuan(item.amountFen)}`;

/**
 * "第 2 项：化验费 甲类 343.71 元 → 化验费 乙类 343.71 元" (新增 / 删除 for a line added or removed), and its 病种 where a
 * reviewer corrected it ("，病种 高血压 → 糖尿病"), named by `diseaseName` (the code where it has none).
 */
export function correctionText(
  correction: Pick<LineCorrection, 'index' | 'before' | 'after'>,
  diseaseName: (code: string) => string = (code) => code,
): string {
  const before = correction.before ? lineText(correction.before) : '（新增）';
  const after = correction.after ? lineText(correction.after) : '（删除）';
  const was = correction.before?.disease;
  const is = correction.after?.disease;
  const disease =
    correction.before && correction.after && is && is !== was
      ? `，病种 ${was ? diseaseName(was) : '（按申请）'} → ${diseaseName(is)}`
      : '';
  return `第 ${correction.index + 1} 项：${before} → ${after}${disease}`;
}

/** The one disease every line names (a reviewer's correction of the 病种), or null where they name none or several. */
export function linesDisease(lines: ReadonlyArray<Pick<LineItem, 'disease'>>): string | null {
  const named = new Set(lines.map((line) => line.disease ?? ''));
  const [only] = [...named];
  return named.size === 1 && only ? only : null;
}
