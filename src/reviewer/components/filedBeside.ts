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
