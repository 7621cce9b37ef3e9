/**
 * What a claimant is told when their claim changes status: the in-app card (title, body, amount) and
 * the WeChat subscribe message's fields, cut to WeChat's limits by `fitField`.
 *
 * WeChat's rules for subscribe-message values (订阅消息参数值内容限制, subscribeMessage.send docs;
 * a value outside them is refused with 47003):
 *   thing ≤ 20 characters (汉字、数字、字母或符号) · number ≤ 32 digits, may have a decimal point ·
 *   letter ≤ 32 letters · symbol ≤ 5 symbols · character_string ≤ 32 digits, letters or symbols ·
 *   time: 24-hour time, optionally with the date (15:01, 2019年10月1日 15:01) · date: 年月日, optionally
 *   with a time · amount: one currency sign + at most 10 digits, may have decimals, may end in 元 ·
 *   phone_number ≤ 17 digits and symbols · car_number ≤ 8 · name ≤ 10 汉字 (mixed counts as Chinese)
 *   or ≤ 20 letters/symbols · phrase ≤ 5 汉字 only. Symbols exclude line breaks and control characters.
 *
 * One subscribe grant allows one message per template, so the 'result' template is spent only on
 * the outcomes a person must hear about (审核通过, 补件, 退回), never on 初审 or 结算.
 */
import { claimNumberOf } from './claimNumber';
import type { ClaimStatus } from './contracts/claimDraft';
import { guardianAccountNote } from './contracts/persons';
import { withoutFinalStop } from './text';
import { FEN_PER_YUAN, formatYuan, MAX_FEN, type Fen } from './money';

export const subscribeFieldKinds = [
  'thing',
  'number',
  'letter',
  'symbol',
  'character_string',
  'time',
  'date',
  'amount',
  'phone_number',
  'car_number',
  'name',
  'phrase',
] as const;
export type SubscribeFieldKind = (typeof subscribeFieldKinds)[number];

/**
 * Maximum length in characters (code points); for name, the limit when it contains Chinese.
 * time, date and amount are format rules in WeChat's table, not lengths: their numbers here are our guards.
 */
export const subscribeFieldLimits: Record<SubscribeFieldKind, number> = {
  thing: 20,
  number: 32,
  letter: 32,
  symbol: 5,
  character_string: 32,
  time: 30,
  date: 30,
  amount: 14,
  phone_number: 17,
  car_number: 8,
  name: 10,
  phrase: 5,
};
/** name: the limit for a name without Chinese characters. */
export const NAME_LATIN_LIMIT = 20;

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const CJK_ALL = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function chars(text: string): string[] {
  return Array.from(text);
}

function cut(text: string, limit: number): string {
  const list = chars(text);
  return list.length <= limit ? text : list.slice(0, limit).join('');
}

/** Line breaks and control characters become spaces; runs of white space fold to one. */
function clean(value: string): string {
  return value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The value cut and filtered to what WeChat accepts for `kind`. A thing that is too long ends in …
 * (still ≤ 20); the other kinds are cut without a mark. An empty result becomes `fallback` (WeChat
 * refuses empty values), itself fitted.
 */
export function fitField(kind: SubscribeFieldKind, value: string, fallback = ''): string {
  const text = clean(value);
  let fitted: string;
  switch (kind) {
    case 'thing': {
      const list = chars(text);
      fitted =
        list.length <= subscribeFieldLimits.thing ? text : `${list.slice(0, subscribeFieldLimits.thing - 1).join('')}…`;
      break;
    }
    case 'phrase':
      fitted = cut((text.match(CJK_ALL) ?? []).join(''), subscribeFieldLimits.phrase);
      break;
    case 'name':
      fitted = cut(text, CJK.test(text) ? subscribeFieldLimits.name : NAME_LATIN_LIMIT).trim();
      break;
    case 'number': {
      const [whole = '', ...rest] = text.replace(/[^\d.]/g, '').split('.');
      const digits = rest.length > 0 ? `${whole}.${rest.join('')}` : whole;
      fitted = cut(digits, subscribeFieldLimits.number).replace(/\.$/, '');
      break;
    }
    case 'letter':
      fitted = cut(text.replace(/[^A-Za-z]/g, ''), subscribeFieldLimits.letter);
      break;
    case 'symbol':
      fitted = cut(text.replace(/[\sA-Za-z0-9]/g, '').replace(CJK_ALL, ''), subscribeFieldLimits.symbol);
      break;
    case 'character_string':
      fitted = cut(text.replace(/[^\x21-\x7e]/g, ''), subscribeFieldLimits.character_string);
      break;
    case 'phone_number':
      fitted = cut(text.replace(/[^\d+\-()]/g, ''), subscribeFieldLimits.phone_number);
      break;
    case 'amount':
      fitted = fitAmountText(text);
      break;
    default:
      fitted = cut(text, subscribeFieldLimits[kind]);
  }
  if (fitted === '' && fallback !== '') return fitField(kind, fallback);
  return fitted;
}

/** "¥ 1,234.50 元" → "¥1234.50"; anything that is not an amount → ''. */
function fitAmountText(text: string): string {
  // The number starts with a digit: a lone "," is no amount (it gave "¥", which WeChat refuses).
  const match = /^([¥￥$])?\s*(\d[\d,]*(?:\.\d+)?)\s*(元)?$/.exec(text);
  if (!match) return '';
  const number = (match[2] ?? '').replace(/,/g, '');
  const digitCount = number.replace('.', '').length;
  if (digitCount > 10) {
    const whole = number.split('.')[0] ?? '';
    if (whole.length > 10 || /\.\d*[1-9]/.test(number)) return '';
    return `¥${whole}`;
  }
  return `¥${number}`;
}

/** An amount in fen as the amount field wants it: "¥1234.56"; ≥ 1 亿元 drops the ".00" to stay within 10 digits. */
export function amountFieldValue(fen: Fen): string {
  if (!Number.isSafeInteger(fen) || fen < 0 || fen > MAX_FEN)
    throw new RangeError(`amountFieldValue: not an amount in fen: ${fen}`);
  const yuan = Math.floor(fen / FEN_PER_YUAN);
  const cents = fen % FEN_PER_YUAN;
  const full = `${yuan}.${String(cents).padStart(2, '0')}`;
  return full.replace('.', '').length <= 10 ? `¥${full}` : `¥${yuan}`;
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

function shanghaiParts(instant: Date): { year: number; month: number; day: number; hh: string; mm: string } {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('subscribe date/time: invalid Date');
  const shifted = new Date(ms + SHANGHAI_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hh: String(shifted.getUTCHours()).padStart(2, '0'),
    mm: String(shifted.getUTCMinutes()).padStart(2, '0'),
  };
}

/** "2025年10月9日" in Asia/Shanghai. */
export function dateFieldValue(instant: Date): string {
  const p = shanghaiParts(instant);
  return `${p.year}年${p.month}月${p.day}日`;
}

/** "2025年10月9日 08:05" in Asia/Shanghai. */
export function timeFieldValue(instant: Date): string {
  const p = shanghaiParts(instant);
  return `${p.year}年${p.month}月${p.day}日 ${p.hh}:${p.mm}`;
}

/** The field kind of a template data key: thing1 → thing, character_string2 → character_string. */
export function fieldKindOfKey(key: string): SubscribeFieldKind | null {
  const prefix = key.replace(/\d+$/, '');
  return (subscribeFieldKinds as readonly string[]).includes(prefix) ? (prefix as SubscribeFieldKind) : null;
}

/** Fits every value by its key's kind; a key of unknown kind is held to the thing limit (20). */
export function fitMessageData(values: Readonly<Record<string, string>>): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {};
  for (const [key, value] of Object.entries(values))
    data[key] = { value: fitField(fieldKindOfKey(key) ?? 'thing', value, '-') };
  return data;
}

// ---------------------------------------------------------------------------------------------
// Templates and the card per status

export type SubscribeTemplateKey = 'accepted' | 'result' | 'paid';

/**
 * The fields each template is expected to have (pick matching templates in the WeChat console; the
 * keys must be the console's keys). Values are what each field says.
 */
export const subscribeTemplateFields: Record<SubscribeTemplateKey, Record<string, string>> = {
  accepted: { thing1: '申请事项', character_string2: '申请编号', time3: '提交时间' },
  result: { thing1: '申请事项', phrase2: '审核结果', thing3: '说明' },
  paid: { thing1: '申请事项', amount2: '支付金额', date3: '支付日期' },
};

/** What the card and message may mention; amounts in fen, the bank account only as its last four digits. */
export interface StatusFacts {
  claimId: string;
  /** The claim's title as the claimant wrote it. */
  title: string;
  /** When the status changed. */
  at: Date;
  /** The estimate at submission. */
  estimateFen?: Fen;
  /** The reviewed or settled figure: what the fund pays. */
  fundPaysFen?: Fen;
  /** 审核通过 before 结算: the fund's share as 审核 worked it out (结算 may change it, with the year's ledger then). */
  reviewedFen?: Fen;
  reason?: string;
  /** 补件: the labels of the materials asked for. */
  materials?: readonly string[];
  /** 补件: how many of the claim's photos were sent back to be taken again (重拍). */
  retakeCount?: number;
  /** "3445" — never the full account. */
  bankTail?: string;
  /** The account holder when the claim is for a family member (the fund pays into the insured's own account); absent: 您. */
  payeeName?: string;
  /** The SLA due day, 'YYYY-MM-DD'. */
  dueDay?: string;
}

/** What a card's amount is, said beside it (a bare "0.00 元" under 报销申请已提交 said nothing). */
export function cardAmountLabel(status: string, amountFen?: Fen): string {
  // Before 结算 the figure is an estimate — 审核通过's card says 预计…以结算为准 and was labelled 核定报销 (a walk).
  if (status === 'submitted' || status === 'preliminaryPassed' || status === 'reviewPassed') return '预计报销';
  if (status === 'paid') return amountFen === 0 ? '医保支付' : '已支付';
  return '核定报销';
}

export interface StatusCard {
  title: string;
  body: string;
  amountFen?: Fen;
  message?: { templateKey: SubscribeTemplateKey; data: Record<string, { value: string }> };
}

const HOTLINE = '如有疑问可拨打医保服务热线 12393。';

/**
 * The account holder of a family member's claim, from its form (the fund pays into the insured's own account, so the
 * holder is the insured — or, for a minor, the parent or guardian named); undefined for 本人's claim into their own
 * account (您). One rule for the cards and the claim page.
 */
export function familyPayeeName(form: Record<string, unknown> | null | undefined): string | undefined {
  const insured = form?.insured as { relation?: unknown; name?: unknown } | undefined;
  const payout = form?.payout as { holderName?: unknown; guardianRelation?: unknown } | undefined;
  if (insured?.relation !== 'relative' && !payout?.guardianRelation) return undefined;
  const holder = payout?.holderName;
  const name = typeof holder === 'string' && holder.trim() ? holder : insured?.name;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

/**
 * Where the money goes, for the claim page from filing on (a walk: it said so only once paid): bank and the account's
 * last four digits, and whose it is when a parent's or guardian's ("中国建设银行大连分行 尾号 8907（母亲 李四 的账户）").
 * Null without an account.
 */
export function payoutAccountText(form: Record<string, unknown> | null | undefined): string | null {
  const payout = form?.payout as
    | { bankName?: unknown; accountNumber?: unknown; holderName?: unknown; guardianRelation?: unknown }
    | undefined;
  const digits = typeof payout?.accountNumber === 'string' ? payout.accountNumber.replace(/\D/g, '') : '';
  if (digits.length < 4) return null;
  const bank = typeof payout?.bankName === 'string' ? `${payout.bankName.trim()} ` : '';
  return `${bank}尾号 ${digits.slice(-4)}${guardianAccountNote(payout ?? {})}`;
}

/** 您的, or the family member's (何涛的) when the claim is theirs. */
function yours(facts: StatusFacts): string {
  return facts.payeeName ? `${facts.payeeName}的` : '您的';
}

function account(facts: StatusFacts): string {
  const whose = facts.payeeName ?? '您';
  return facts.bankTail ? `${whose}尾号 ${facts.bankTail} 的银行账户` : `${whose}登记的银行账户`;
}

function monthDay(day: string): string {
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

function fund(facts: StatusFacts): string {
  return facts.fundPaysFen === undefined ? '' : `，医保支付 ${formatYuan(facts.fundPaysFen)}`;
}

interface CardRule {
  title: string;
  body(facts: StatusFacts): string;
  amount?(facts: StatusFacts): Fen | undefined;
  message?: { templateKey: SubscribeTemplateKey; values(facts: StatusFacts): Record<string, string> };
}

const resultValues = (phrase: string, note: (facts: StatusFacts) => string) => (facts: StatusFacts) => ({
  thing1: facts.title,
  phrase2: phrase,
  thing3: note(facts),
});

/** One rule per status that tells the claimant something; draft tells nothing. */
export const statusCardRules: Partial<Record<ClaimStatus, CardRule>> = {
  submitted: {
    title: '报销申请已提交',
    body: (f) =>
      `「${f.title}」已提交，等待初审。${f.dueDay ? `预计 ${monthDay(f.dueDay)} 前办结（按工作日计算）。` : ''}`,
    amount: (f) => f.estimateFen,
    message: {
      templateKey: 'accepted',
      // The 申请编号 the claimant's page shows and a reviewer's 查找申请 takes (the card named the claim's 32-character id).
      values: (f) => ({ thing1: f.title, character_string2: claimNumberOf(f.claimId), time3: timeFieldValue(f.at) }),
    },
  },
  preliminaryPassed: {
    title: '初审已通过',
    body: (f) => `「${f.title}」材料初审通过，已进入审核。`,
  },
  reviewPassed: {
    title: '审核已通过',
    body: (f) =>
      `「${f.title}」审核通过${
        f.fundPaysFen === undefined && f.reviewedFen !== undefined
          ? `，预计医保支付 ${formatYuan(f.reviewedFen)}（以结算为准）`
          : fund(f)
      }，等待结算。`,
    amount: (f) => f.fundPaysFen ?? f.reviewedFen,
    message: {
      templateKey: 'result',
      values: resultValues('审核通过', (f) =>
        f.fundPaysFen !== undefined
          ? `医保支付${formatYuan(f.fundPaysFen).replace(/ /g, '')}`
          : f.reviewedFen !== undefined
            ? `预计医保支付${formatYuan(f.reviewedFen).replace(/ /g, '')}`
            : '待结算，金额以结算结果为准',
      ),
    },
  },
  supplementRequested: {
    title: '需要补充材料',
    body: (f) =>
      `「${f.title}」需要补充材料${f.materials && f.materials.length > 0 ? `：${f.materials.join('、')}` : ''}。${f.reason ? `原因：${withoutFinalStop(f.reason)}。` : ''}${f.retakeCount ? `有 ${f.retakeCount} 张照片被退回，需要重新拍。` : ''}请在申请详情页上传。`,
    message: { templateKey: 'result', values: resultValues('需补件', (f) => f.reason ?? '请在详情页查看需补充的材料') },
  },
  rejected: {
    title: '申请已退回',
    body: (f) =>
      `「${f.title}」未予受理${f.reason ? `，原因：${withoutFinalStop(f.reason)}` : ''}。${f.reason?.includes('12393') ? '' : HOTLINE}`,
    message: { templateKey: 'result', values: resultValues('已退回', (f) => f.reason ?? '请在详情页查看原因') },
  },
  settled: {
    title: '已结算，待复核',
    body: (f) => `「${f.title}」已结算${fund(f)}，复核后支付到${account(f)}。`,
    amount: (f) => f.fundPaysFen,
  },
  verified: {
    title: '复核通过，即将支付',
    body: (f) => `「${f.title}」复核通过${fund(f)}，将支付到${account(f)}。`,
    amount: (f) => f.fundPaysFen,
  },
  paid: {
    title: '报销款已支付',
    body: (f) =>
      `「${f.title}」的报销款${f.fundPaysFen === undefined ? '' : ` ${formatYuan(f.fundPaysFen)}`}已支付到${account(f)}，请留意银行到账。`,
    amount: (f) => f.fundPaysFen,
    message: {
      templateKey: 'paid',
      values: (f) => ({
        thing1: f.title,
        amount2: f.fundPaysFen === undefined ? '' : amountFieldValue(f.fundPaysFen),
        date3: dateFieldValue(f.at),
      }),
    },
  },
  withdrawn: {
    title: '申请已撤回',
    body: (f) => `您已撤回「${f.title}」。如仍需报销，可以重新提交。`,
  },
};

/** Why a claim's fund payment can be 0 元, said where it is. */
const NOTHING_TO_PAY = '费用没有超过起付线，或不在报销范围内';

/**
 * 结算, 复核 and 支付 of a claim the fund pays nothing for: said so, with why, and that no money will come (a walk through
 * the app found "报销款 0.00 元已支付到您尾号 0128 的银行账户，请留意银行到账"). Its 办结 message is the 支付 template's,
 * with ¥0.00 as the amount.
 */
export const nothingToPayRules: Partial<Record<ClaimStatus, CardRule | null>> = {
  settled: {
    title: '已结算：本次医保支付 0 元',
    body: (f) =>
      `「${f.title}」已结算，本次医保支付 0.00 元（${NOTHING_TO_PAY}），不会有款项打到${yours(f)}账户。复核后办结。`,
    amount: () => 0,
  },
  // 复核通过 at 0 元 is closed at once (办结（无需支付）): its 已办结 card says it; a 复核通过 card in the same minute
  // said the same twice (a walk). Left at 复核通过 (a crash between), the claim page says where it stands.
  verified: null,
  paid: {
    title: '已办结：本次没有报销款',
    body: (f) =>
      `「${f.title}」已办结。本次医保支付 0.00 元（${NOTHING_TO_PAY}），没有款项打到${yours(f)}账户。怎么算的见申请详情页。${HOTLINE}`,
    amount: () => 0,
    // The 支付 template with ¥0.00: its grant (from the submit tap) is never spent on a claim that pays nothing, while the
    // 审核结果 one was spent at 审核通过; sent there it found no grant, and 审核通过's message stayed the last word.
    message: {
      templateKey: 'paid',
      values: (f) => ({ thing1: f.title, amount2: amountFieldValue(0), date3: dateFieldValue(f.at) }),
    },
  },
};

/** The card (and the subscribe message, where the status has a template) for a change to `status`; null for draft. */
export function statusCard(status: ClaimStatus, facts: StatusFacts): StatusCard | null {
  const atZero = facts.fundPaysFen === 0 ? nothingToPayRules[status] : undefined;
  const rule = atZero === null ? null : (atZero ?? statusCardRules[status]);
  if (!rule) return null;
  const amountFen = rule.amount?.(facts);
  return {
    title: rule.title,
    body: rule.body(facts),
    ...(amountFen !== undefined ? { amountFen } : {}),
    ...(rule.message
      ? { message: { templateKey: rule.message.templateKey, data: fitMessageData(rule.message.values(facts)) } }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Reminders: a card (and, where a grant is left, a message) once per claim and kind

/**
 * - deadline30 / deadline7: a draft whose filing deadline is at most 30 (more than 7) / at most 7 days away;
 * - supplement3: a 补件 request waiting 3 days for its answer;
 * - originals7: paper originals neither sent nor received 7 days after filing.
 */
export const reminderKinds = ['deadline30', 'deadline7', 'supplement3', 'originals7'] as const;
export type ReminderKind = (typeof reminderKinds)[number];

export interface ReminderFacts {
  title: string;
  /** Filing deadline 'YYYY-MM-DD' and the days left (deadline reminders). */
  deadline?: string;
  daysLeft?: number;
  /** 补件: the labels of the materials asked for. */
  materials?: readonly string[];
  /** 邮寄编号 to write on the envelope. */
  mailCode?: string;
}

interface ReminderRule {
  title(facts: ReminderFacts): string;
  body(facts: ReminderFacts): string;
  phrase: string;
  note(facts: ReminderFacts): string;
}

const deadlineBody = (facts: ReminderFacts, warning: string): string =>
  `「${facts.title}」还没提交，申报截止 ${facts.deadline ?? ''}，还剩 ${facts.daysLeft ?? 0} 天。填过的内容都已保存，点开即可接着填写。${warning}`;

export const reminderRules: Record<ReminderKind, ReminderRule> = {
  deadline30: {
    title: () => '报销申请还没提交',
    body: (f) => deadlineBody(f, ''),
    phrase: '待提交',
    note: (f) => `申报截止${f.deadline ?? ''}`,
  },
  deadline7: {
    title: (f) => `申报期限只剩 ${f.daysLeft ?? 0} 天`,
    body: (f) => deadlineBody(f, '超过期限，经办机构可能不予受理。'),
    phrase: '待提交',
    note: (f) => `还剩${f.daysLeft ?? 0}天，请尽快提交`,
  },
  supplement3: {
    title: () => '补充材料还在等您',
    body: (f) =>
      `「${f.title}」需要补充的材料${f.materials && f.materials.length > 0 ? `（${f.materials.join('、')}）` : ''}还没有上传。补齐后经办机构才能继续审核，请在申请详情页上传。`,
    phrase: '待补件',
    note: () => '请在详情页上传补充材料',
  },
  originals7: {
    title: () => '纸质原件还没寄出',
    body: (f) =>
      `「${f.title}」需要交纸质原件，经办机构还没有收到。${f.mailCode ? `请在信封上写邮寄编号 ${f.mailCode}，` : ''}寄出后在申请详情页填写快递单号；自己送去的请登记送达日期。`,
    phrase: '待寄原件',
    note: (f) => (f.mailCode ? `信封请写编号${f.mailCode}` : '寄出后请填写快递单号'),
  },
};

/** The card and the subscribe message (result template) of a reminder. */
export function reminderCard(kind: ReminderKind, facts: ReminderFacts): StatusCard {
  const rule = reminderRules[kind];
  return {
    title: rule.title(facts),
    body: rule.body(facts),
    message: {
      templateKey: 'result',
      data: fitMessageData({ thing1: facts.title, phrase2: rule.phrase, thing3: rule.note(facts) }),
    },
  };
}
