/**
 * What the claimant is told at each status change: the in-app card (title, body, amount) and,
 * where a template exists, the subscribe message's fields — cut to WeChat's field limits
 * (thing ≤ 20 characters, phrase ≤ 5, character_string ≤ 32, …) here, in code.
 * Personal data never appears: no 身份证号, bank account or phone, not even masked.
 */
import { formatYuan } from '../../src/core/money';
import { claimStatusLabel } from '../../src/core/statusLabels';
import type { ClaimStatus } from '../../src/core/contracts/claimDraft';
import type { CardText, OutboxClaim, OutboxEvent } from './outbox';

export interface NotifiableClaim extends OutboxClaim {
  title: string;
  amountFen: number;
  /** Final figure once settled, else the estimate at submission. */
  paidFen?: number | null;
  events: Array<OutboxEvent & { reason?: string | null }>;
}

export type SubscribeFieldKind = 'thing' | 'phrase' | 'character_string' | 'number' | 'letter' | 'symbol' | 'amount' | 'date' | 'time' | 'name' | 'phone_number';

export const subscribeFieldLimits: Record<SubscribeFieldKind, number> = {
  thing: 20,
  phrase: 5,
  character_string: 32,
  number: 32,
  letter: 32,
  symbol: 5,
  amount: 16,
  date: 20,
  time: 20,
  name: 10,
  phone_number: 17,
};

/** Cuts a value to its field's limit, counted in characters (code points), ending with … when cut. */
export function fitField(kind: SubscribeFieldKind, value: string): string {
  const limit = subscribeFieldLimits[kind];
  let text = value.replace(/\s+/g, ' ').trim();
  if (kind === 'character_string' || kind === 'letter' || kind === 'number') text = text.replace(/[^A-Za-z0-9_.:-]/g, '');
  const chars = [...text];
  if (chars.length <= limit) return text || '-';
  if (kind === 'thing' || kind === 'name') return `${chars.slice(0, limit - 1).join('')}…`;
  return chars.slice(0, limit).join('');
}

function shanghaiDateTime(iso: string): { date: string; time: string } {
  const shifted = new Date(new Date(iso).getTime() + 8 * 3600 * 1000).toISOString();
  return { date: `${shifted.slice(0, 4)}年${shifted.slice(5, 7)}月${shifted.slice(8, 10)}日`, time: `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}` };
}

const resultPhrase: Partial<Record<ClaimStatus, string>> = {
  preliminaryPassed: '初审通过',
  reviewPassed: '审核通过',
  supplementRequested: '需补件',
  rejected: '未通过',
  settled: '已结算',
};

const bodies: Partial<Record<ClaimStatus, (claim: NotifiableClaim, reason: string) => string>> = {
  submitted: (claim) => `您的「${claim.title}」已提交，经办机构将在规定工作日内审核。`,
  preliminaryPassed: () => '材料初审通过，进入审核。',
  reviewPassed: () => '审核通过，等待结算。',
  supplementRequested: (_claim, reason) => `需要补充材料：${reason || '请查看详情'}。请在详情页上传。`,
  rejected: (_claim, reason) => `申请未通过：${reason || '请查看详情'}。如有疑问可拨打 12393。`,
  settled: (claim) => `已结算，医保支付 ${formatYuan(claim.paidFen ?? 0)}，复核后支付到您的银行账户。`,
  verified: () => '复核通过，即将支付。',
  paid: (claim) => `${formatYuan(claim.paidFen ?? 0)} 已支付到您的银行账户，请注意查收。`,
  withdrawn: () => '您已撤回这份申请。',
};

export function describeClaimEvent(claim: NotifiableClaim, event: OutboxEvent & { reason?: string | null }): CardText | null {
  const status = event.to as ClaimStatus;
  const body = bodies[status];
  if (!body) return null;
  const reason = event.reason ?? '';
  const money = status === 'settled' || status === 'paid' ? (claim.paidFen ?? null) : status === 'submitted' ? claim.amountFen : null;
  const text: CardText = { title: claimStatusLabel[status], body: body(claim, reason), ...(money !== null ? { amountFen: money } : {}) };
  const when = shanghaiDateTime(event.at);
  if (status === 'submitted') {
    text.message = {
      templateKey: 'accepted',
      data: {
        thing1: { value: fitField('thing', claim.title) },
        character_string2: { value: fitField('character_string', claim._id.slice(0, 12).toUpperCase()) },
        time3: { value: fitField('time', when.time) },
      },
    };
  } else if (resultPhrase[status]) {
    text.message = {
      templateKey: 'result',
      data: {
        thing1: { value: fitField('thing', claim.title) },
        phrase2: { value: fitField('phrase', resultPhrase[status] ?? '') },
        thing3: { value: fitField('thing', reason || claimStatusLabel[status]) },
      },
    };
  } else if (status === 'paid') {
    text.message = {
      templateKey: 'paid',
      data: {
        thing1: { value: fitField('thing', claim.title) },
        amount2: { value: fitField('amount', `${formatYuan(claim.paidFen ?? 0).replace(/ 元$/, '').replace(/,/g, '')}元`) },
        date3: { value: fitField('date', when.date) },
      },
    };
  }
  return text;
}
