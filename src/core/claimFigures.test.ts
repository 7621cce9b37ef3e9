import { figuresNote } from './claimFigures';

const paid = (totalPaid: number) => ({ totalPaid });

describe('figuresNote: the sentence under a claim’s figures', () => {
  it('before 结算: 审核核定 against the estimate, as before', () => {
    expect(figuresNote({ estimate: paid(38_632), reviewEstimate: paid(17_131), settlement: null })).toBe(
      '审核核定金额与预估相差 215.01 元，以核定金额为准；明细见下方计算过程。',
    );
    expect(figuresNote({ estimate: paid(17_131), reviewEstimate: paid(17_131), settlement: null })).toBeNull();
    expect(figuresNote({ estimate: paid(17_131), reviewEstimate: null, settlement: null })).toBeNull();
  });

  it('after 结算: the settlement against 审核核定 (or the estimate), and why it moved — never 以核定金额为准 (a walk)', () => {
    const note = figuresNote({ estimate: paid(38_632), reviewEstimate: paid(17_131), settlement: paid(37_131) });
    expect(note).toContain('结算金额与审核核定相差 200.00 元');
    expect(note).toContain('以结算金额为准');
    expect(note).not.toContain('以核定金额为准');
    expect(figuresNote({ estimate: paid(17_131), reviewEstimate: null, settlement: paid(15_000) })).toContain(
      '结算金额与预估相差 21.31 元',
    );
    // Settled at the reviewed figure: the reviewed figure against the estimate, as before 结算.
    expect(figuresNote({ estimate: paid(38_632), reviewEstimate: paid(17_131), settlement: paid(17_131) })).toBe(
      '审核核定金额与预估相差 215.01 元，以核定金额为准；明细见下方计算过程。',
    );
    expect(figuresNote({ estimate: paid(17_131), reviewEstimate: null, settlement: paid(17_131) })).toBeNull();
  });
});
