/**
 * The queue's filters said in one line, for when they are folded away: the queue at a desk began below the fold (the
 * filters took ≈ 900 px at 1280 × 800), so they fold under this line and a reviewer still sees what narrows the list.
 * Filters left as they start say so too (全部在办 · 全部地区), so a folded line never hides that nothing is filtered.
 */
export interface FilterChoice {
  tab: 'all' | 'clean';
  /** The status chip's label, or null on the 可快速办理 view (which has no status filter). */
  statusLabel: string | null;
  regionLabel: string;
  overdue: boolean;
}

export function filterSummaryOf(choice: FilterChoice): string {
  const parts = [
    ...(choice.tab === 'all' && choice.statusLabel !== null ? [`状态：${choice.statusLabel}`] : []),
    `统筹区：${choice.regionLabel}`,
    ...(choice.tab === 'all' && choice.overdue ? ['只看已超期'] : []),
  ];
  return parts.join(' · ');
}

/** Whether any filter differs from how the queue starts (the fold then says 已筛选 and shows in the page's color). */
export function isFiltered(choice: FilterChoice, defaults: { statusLabel: string; regionLabel: string }): boolean {
  return (
    choice.regionLabel !== defaults.regionLabel ||
    (choice.tab === 'all' && (choice.overdue || choice.statusLabel !== defaults.statusLabel))
  );
}
