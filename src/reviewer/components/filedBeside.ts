/**
 * What the claim filed beside an item read from a receipt: nothing to say when a line of that name carries the amount
 * read (or no line has that name), else the amounts the lines of that name were filed with. Matched by name alone, a
 * claim of two receipts that each print 检查费 had the second receipt's 188.00 marked 申请填写 2,310.00 — the first
 * receipt's line (a walk).
 */
export function filedBeside(
  claimLines: ReadonlyArray<{ name: string; amountFen: number }>,
  name: string,
  amountFen: number | null,
): number[] | null {
  const named = claimLines.filter((line) => line.name === name);
  if (amountFen === null || named.length === 0 || named.some((line) => line.amountFen === amountFen)) return null;
  return named.map((line) => line.amountFen);
}

/** What the claim gives for the receipt's own fields: the hospital, the stay's dates, the insured person. */
export interface ClaimSide {
  hospitalName?: string;
  admissionDate?: string;
  dischargeDate?: string;
  insuredName?: string;
}

const compact = (text: string): string => text.replace(/\s+/g, '');

/**
 * What the claim filed beside a field read from a receipt, when it says otherwise: the claimant corrected the reading
 * (a walk: 收款单位 read 上海市第六人民医院财务专用章, filed 上海市第六人民医院, the reviewer shown only the first), or the
 * receipt is another's. Null when they agree or the claim has nothing to set beside it.
 */
export function claimBeside(field: string, value: unknown, claim: ClaimSide): string | null {
  const counterpart: Partial<Record<string, [string, string | undefined]>> = {
    hospital: ['申请填写', claim.hospitalName],
    admissionDate: ['申请填写', claim.admissionDate],
    dischargeDate: ['申请填写', claim.dischargeDate],
    payer: ['参保人', claim.insuredName],
  };
  const [label, filed] = counterpart[field] ?? [];
  if (!label || !filed || typeof value !== 'string' || compact(value) === compact(filed)) return null;
  return `${label} ${filed}`;
}
