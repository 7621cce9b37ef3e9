/**
 * Personal identifiers a claim carries: 居民身份证号码 (GB 11643-1999), the payout bank account, a
 * mainland mobile number — validation with messages in plain Chinese, zod schemas for the forms, and
 * the masks used wherever these values are shown outside the reviewer's claim page (lists, cards,
 * subscribe messages, logs).
 *
 * GB 11643-1999: 6 digits of administrative region (地址码), 8 digits of birth date (YYYYMMDD),
 * 3 digits of sequence (顺序码; odd for men, even for women), 1 check character computed with
 * ISO 7064 MOD 11-2: weights 2^(17-i) mod 11 = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, the weighted sum
 * mod 11 indexes "10X98765432".
 *
 * A bank card's Luhn digit is only a warning: some domestic cards and passbook accounts fail it.
 */
import * as z from 'zod';
import { toHalfWidth } from './money';
import { dateFromDayNumber, isValidIsoDate } from './policy/dates';

// ---------------------------------------------------------------------------------------------
// 身份证号 (GB 11643-1999)

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';

/**
 * The first two digits of a 地址码: provinces (GB/T 2260) and 81/82/83, which the 港澳台居民居住证
 * numbers use with the same check rule.
 */
export const ID_PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

export type IdNumberErrorCode = 'ID_EMPTY' | 'ID_LENGTH' | 'ID_FORMAT' | 'ID_REGION' | 'ID_BIRTH_DATE' | 'ID_CHECKSUM';

export type IdNumberResult =
  | {
      ok: true;
      /** 18 characters, a trailing x upper-cased. */
      value: string;
      regionCode: string;
      /** 'YYYY-MM-DD' */
      birthDate: string;
      sex: 'male' | 'female';
    }
  | { ok: false; code: IdNumberErrorCode; message: string };

/** The check character of the first 17 digits (throws on anything but 17 digits: a programming error). */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idNumberCheckChar: needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

/** What a person typed → the 18 characters to check: half-width, no spaces, x → X. */
export function normaliseIdNumber(raw: string): string {
  return toHalfWidth(raw).replace(/[\s-]/g, '').toUpperCase();
}

export interface IdNumberOptions {
  /** Today as 'YYYY-MM-DD' (Asia/Shanghai): birth dates after it are refused. Omitted: not checked. */
  today?: string;
}

export function validateIdNumber(raw: string, options: IdNumberOptions = {}): IdNumberResult {
  const value = normaliseIdNumber(raw);
  if (value === '') return { ok: false, code: 'ID_EMPTY', message: '请填写身份证号' };
  if (value.length !== 18) {
    const message =
      value.length === 15
        ? '请填写 18 位的新版身份证号（15 位旧号已停用）'
        : `身份证号应为 18 位，现在是 ${value.length} 位`;
    return { ok: false, code: 'ID_LENGTH', message };
  }
  if (!/^\d{17}[\dX]$/.test(value))
    return { ok: false, code: 'ID_FORMAT', message: '身份证号前 17 位应为数字，最后一位为数字或 X' };
  const regionCode = value.slice(0, 6);
  if (!ID_PROVINCE_CODES.has(value.slice(0, 2)) || value.slice(2, 6) === '0000') {
    return { ok: false, code: 'ID_REGION', message: '身份证号前 6 位地区代码不正确，请核对' };
  }
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isValidIsoDate(birthDate) || (options.today !== undefined && birthDate > options.today)) {
    return { ok: false, code: 'ID_BIRTH_DATE', message: '身份证号中的出生日期（第 7-14 位）不正确，请核对' };
  }
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) {
    return { ok: false, code: 'ID_CHECKSUM', message: '身份证号校验位不对，可能有数字输错了，请逐位核对' };
  }
  return { ok: true, value, regionCode, birthDate, sex: Number(value[16]) % 2 === 1 ? 'male' : 'female' };
}

// ---------------------------------------------------------------------------------------------
// Bank account (银行卡号 / 账号) and Luhn

export type BankAccountResult =
  | {
      ok: true;
      /** Digits only. */
      value: string;
      /** Present when the Luhn digit does not match: show it, never block on it. */
      warning?: { code: 'BANK_LUHN'; message: string };
    }
  | { ok: false; code: 'BANK_EMPTY' | 'BANK_FORMAT' | 'BANK_LENGTH'; message: string };

/** Luhn (mod 10) over a string of digits; false for anything that is not 2+ digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The digit that makes `payload` + digit pass Luhn. */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new RangeError('luhnCheckDigit: digits only');
  for (let digit = 0; digit <= 9; digit += 1) if (luhnValid(`${payload}${digit}`)) return String(digit);
  /* c8 ignore next */
  throw new Error('unreachable: one of ten digits always completes a Luhn number');
}

export const BANK_ACCOUNT_MIN_DIGITS = 12;
export const BANK_ACCOUNT_MAX_DIGITS = 30;

export function normaliseBankAccount(raw: string): string {
  return toHalfWidth(raw).replace(/[\s-]/g, '');
}

export function validateBankAccount(raw: string): BankAccountResult {
  const value = normaliseBankAccount(raw);
  if (value === '') return { ok: false, code: 'BANK_EMPTY', message: '请填写收款银行卡号' };
  if (!/^\d+$/.test(value)) return { ok: false, code: 'BANK_FORMAT', message: '银行卡号只能是数字' };
  if (value.length < BANK_ACCOUNT_MIN_DIGITS || value.length > BANK_ACCOUNT_MAX_DIGITS) {
    return { ok: false, code: 'BANK_LENGTH', message: `银行卡号一般为 16-19 位，现在是 ${value.length} 位，请核对` };
  }
  if (!luhnValid(value)) {
    return {
      ok: true,
      value,
      warning: { code: 'BANK_LUHN', message: '这个卡号的校验位不符合常见规则，请再核对一遍；确认无误可以继续' },
    };
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------
// Mainland mobile (手机号)

export type MobileResult =
  | { ok: true; value: string }
  | { ok: false; code: 'PHONE_EMPTY' | 'PHONE_FORMAT'; message: string };

export function validateMobile(raw: string): MobileResult {
  const value = toHalfWidth(raw)
    .replace(/[\s-]/g, '')
    .replace(/^(?:\+?86)(?=1\d{10}$)/, '');
  if (value === '') return { ok: false, code: 'PHONE_EMPTY', message: '请填写手机号' };
  if (!/^1[3-9]\d{9}$/.test(value))
    return { ok: false, code: 'PHONE_FORMAT', message: '请填写 11 位手机号，以 1 开头' };
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------
// Names (姓名): Chinese names, minority names with ·, or a Latin name as on the document

/**
 * A name of Han characters in parts joined by ·: a minority name with the father's and grandfather's names runs to six
 * parts and 40 characters (a walk's 阿卜杜热合曼·买买提艾力·库尔班尼亚孜·… of five parts was refused with a sentence that
 * did not say why); or a Latin name as on the document.
 */
export const NAME_MAX_LENGTH = 40;
const NAME_PATTERN = /^(?:[\u3400-\u9fff]{1,20}(?:·[\u3400-\u9fff]{1,20}){0,5}|[A-Za-z][A-Za-z .'-]{0,49})$/;
const NAME_REFUSAL = '请填写与证件一致的姓名（汉字，少数民族姓名可用 ·）';

export function normaliseName(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().replace(/[•・]/g, '·');
}

/** Why a name (normalised) is not one as written on an ID card, in a sentence; null when it is. */
export function nameProblem(raw: string): string | null {
  const value = normaliseName(raw);
  if (value.length === 0) return '请填写姓名';
  if (value.length > NAME_MAX_LENGTH) return `姓名最多 ${NAME_MAX_LENGTH} 个字，请按证件填写`;
  if (value.length >= 2 && NAME_PATTERN.test(value)) return null;
  if (/^[\u3400-\u9fff·]+$/.test(value)) {
    if (value.startsWith('·') || value.endsWith('·')) return '「·」只用在名字的各部分之间，不能在开头或末尾';
    if (value.includes('··')) return '两个「·」之间要有字，请删掉多出的「·」';
    if (value.length < 2) return '姓名至少 2 个字，请按证件填写';
  }
  return NAME_REFUSAL;
}

export function isPlausibleName(raw: string): boolean {
  return nameProblem(raw) === null;
}

// ---------------------------------------------------------------------------------------------
// Masks

function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  const chars = [...value];
  if (chars.length <= keepStart + keepEnd) return '*'.repeat(chars.length);
  return (
    chars.slice(0, keepStart).join('') +
    '*'.repeat(chars.length - keepStart - keepEnd) +
    chars.slice(chars.length - keepEnd).join('')
  );
}

/** 110101199003071234 → 110***********1234 (3 + 11 stars + 4). */
export function maskIdNumber(value: string): string {
  return maskMiddle(normaliseIdNumber(value), 3, 4);
}

/** 6222020200112233445 → 6222 **** **** 3445: the bank's prefix and the last four, as banks print them. */
export function maskBankAccount(value: string): string {
  const digits = normaliseBankAccount(value);
  if (digits.length < 8) return '*'.repeat(digits.length);
  return `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`;
}

/** The last four digits of an account, for "尾号 3445". */
export function bankAccountTail(value: string): string {
  return normaliseBankAccount(value).slice(-4);
}

/** 13812345678 → 138****5678 */
export function maskPhone(value: string): string {
  const digits = toHalfWidth(value)
    .replace(/[\s-]/g, '')
    .replace(/^\+?86(?=1\d{10}$)/, '');
  return maskMiddle(digits, 3, 4);
}

/** 张三 → 张*, 欧阳娜娜 → 欧***, 阿依古丽·买买提 → 阿*******: the first character only. */
export function maskName(value: string): string {
  const chars = [...normaliseName(value)];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

// ---------------------------------------------------------------------------------------------
// zod schemas for forms: each parses what a person typed into the normalised value

type Validated = { ok: true; value: string } | { ok: false; code: string; message: string };

/** A string schema whose output is the validator's normalised value and whose issue is its Chinese message. */
function validatedString(validate: (raw: string) => Validated, emptyMessage: string) {
  return z.string({ error: emptyMessage }).transform((raw, ctx) => {
    const result = validate(raw);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.message, params: { code: result.code } });
    return z.NEVER;
  });
}

/** Today in Asia/Shanghai (UTC+8 all year), 'YYYY-MM-DD', whatever the machine's zone. */
const shanghaiToday = (): string => dateFromDayNumber(Math.floor((Date.now() + 8 * 3_600_000) / 86_400_000));

/** A valid 身份证号 whose birth date is not after today (Asia/Shanghai, read when the value is checked). */
export const idNumberSchema = validatedString(
  (raw) => validateIdNumber(raw, { today: shanghaiToday() }),
  '请填写身份证号',
);

/** Accepts any account that is digits of a plausible length; the Luhn warning comes from `bankAccountWarning`. */
export const bankAccountSchema = validatedString(validateBankAccount, '请填写收款银行卡号');

/** The warning to show next to a bank account field, or null. */
export function bankAccountWarning(raw: string): string | null {
  const result = validateBankAccount(raw);
  return result.ok && result.warning ? result.warning.message : null;
}

export const mobileSchema = validatedString(validateMobile, '请填写手机号');

export const personNameSchema = z
  .string({ error: '请填写姓名' })
  .transform(normaliseName)
  .superRefine((value, ctx) => {
    const problem = nameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
