/**
 * What the claimant pays, in parts that add up to it to the fen: the estimate's 「其中」 lines under 自己负担. First
 * the parts the engine computes (丙类, 乙类先自付, 异地先自付, 起付线), then what is left of the policy-range cost the
 * fund did not pay: the part a payment limit cut (`capsHit`) and the co-pay by ratio. Only those four lines were
 * shown before, and a claim's 60 % co-pay appeared nowhere. Where 大病保险 or an allowance paid some of the self-paid
 * parts, a negative line says so, so that the lines still add up.
 */
import type { Fen } from '../money';
import type { EstimateResult } from './estimate';

export interface ClaimantPart {
  /** What the part is, to follow 「其中」. */
  label: string;
  /** Positive, except the line of what 大病保险 and allowances paid of the parts above. */
  fen: Fen;
}

export function claimantPaysParts(
  result: Pick<
    EstimateResult,
    'outOfPolicy' | 'categoryBSelfPay' | 'outOfRegionSelfPay' | 'deductibleTaken' | 'claimantPays' | 'capsHit'
  >,
): ClaimantPart[] {
  const computed: ClaimantPart[] = [
    { label: '丙类（自费）', fen: result.outOfPolicy },
    { label: '乙类先自付', fen: result.categoryBSelfPay },
    { label: '异地先自付', fen: result.outOfRegionSelfPay },
    { label: '起付线', fen: result.deductibleTaken },
  ];
  const parts = computed.filter((part) => part.fen > 0);
  const rest = result.claimantPays - computed.reduce((sum, part) => sum + part.fen, 0);
  if (rest > 0) {
    const cut = Math.min(
      rest,
      result.capsHit.reduce((sum, hit) => sum + hit.reducedBy, 0),
    );
    if (rest - cut > 0) parts.push({ label: '按比例自付', fen: rest - cut });
    if (cut > 0) parts.push({ label: '超过支付限额', fen: cut });
  } else if (rest < 0) {
    parts.push({ label: '减去大病保险、补助已支付的部分', fen: rest });
  }
  return parts;
}
