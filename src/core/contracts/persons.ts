/**
 * Family members (家庭成员): the people one WeChat account files for — 本人 and 家人 — kept by the
 * `claims` function so a claim picks a person instead of retyping them (and a second device finds
 * them too). 身份证号, bank account and phone are sealed at rest and travel back only masked; a
 * masked value sent again stands for the value kept on the server.
 */
import * as z from 'zod';
import { bankAccountSchema, idNumberSchema, mobileSchema, personNameSchema } from '../identity';
import { insuranceTypeSchema, type InsuranceType } from '../policy/schema';
import { plainText } from '../text';
import { missingOr } from '../validation';

export const personRelations = ['self', 'spouse', 'parent', 'child', 'other'] as const;
export type PersonRelation = (typeof personRelations)[number];

export const personRelationLabels: Record<PersonRelation, string> = {
  self: '本人',
  spouse: '配偶',
  parent: '父母',
  child: '子女',
  other: '其他家人',
};

/**
 * Whose account a minor's claim is paid into, where the policy allows it (`processing.guardianAccountForMinors`): a
 * child seldom has a bank card in their own name, and the fund otherwise pays only into the insured person's own.
 */
export const guardianRelations = ['father', 'mother', 'guardian'] as const;
export type GuardianRelation = (typeof guardianRelations)[number];
export const guardianRelationLabels: Record<GuardianRelation, string> = {
  father: '父亲',
  mother: '母亲',
  guardian: '其他监护人',
};
/** Whose a guardian's account is, after the account ("（母亲 李四 的账户）"); '' for the insured person's own. */
export function guardianAccountNote(payout: { guardianRelation?: unknown; holderName?: unknown }): string {
  const relation = guardianRelations.find((value) => value === payout.guardianRelation);
  return relation && typeof payout.holderName === 'string'
    ? `（${guardianRelationLabels[relation]} ${payout.holderName} 的账户）`
    : '';
}

export const guardianRelationSchema = z.enum(guardianRelations, { error: '请选择账户户主与参保人的关系' });

/** Below this age (whole years on the day of filing) the insured person may be paid into a guardian's account. */
export const ADULT_AGE = 18;

export const personIdSchema = z
  .string({ error: missingOr('缺少家庭成员编号', '家庭成员编号格式不正确') })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '家庭成员编号格式不正确');

/** A masked personal value as the app was shown it: 110***********1234, 6222 **** **** 3445, 138****5678. */
export function isMasked(value: unknown): value is string {
  return typeof value === 'string' && value.includes('*') && /^[0-9Xx* ]{4,40}$/.test(value);
}

/**
 * A personal field typed in full (checked by `schema`) or its masked copy, which stands for the value
 * kept on the server (a family member's, or the one sealed before). Whoever receives a masked value
 * must resolve it, never store it as the value.
 */
export function fullOrMasked(schema: z.ZodType<string, string>, emptyMessage: string) {
  return z.string({ error: emptyMessage }).transform((raw, ctx) => {
    if (isMasked(raw)) return raw;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, params: { code: 'INVALID' } });
    return z.NEVER;
  });
}

export const personInputSchema = z
  .strictObject({
    /** Given: update that person (masked values keep what is stored). Absent: add one (the same 身份证号 again updates it). */
    id: personIdSchema.optional(),
    relation: z.enum(personRelations, { error: '请选择与您的关系' }),
    name: personNameSchema,
    idNumber: fullOrMasked(idNumberSchema, '请填写身份证号'),
    insuranceType: insuranceTypeSchema.optional(),
    retired: z.boolean({ error: '是否退休应为是或否' }).optional(),
    region: z
      .string()
      .regex(/^\d{6}$/, '请选择参保地（6 位行政区划代码）')
      .optional(),
    payout: z
      .strictObject({
        bankName: plainText('开户银行', 40),
        accountNumber: fullOrMasked(bankAccountSchema, '请填写收款银行卡号'),
        /** A minor's parent's or guardian's account: whose it is (both given, or neither). */
        guardianRelation: guardianRelationSchema.optional(),
        holderName: personNameSchema.optional(),
      })
      .refine((payout) => (payout.guardianRelation === undefined) === (payout.holderName === undefined), {
        message: '监护人账户须同时填写户名和与参保人的关系',
        path: ['holderName'],
      })
      .optional(),
    phone: fullOrMasked(mobileSchema, '请填写手机号').optional(),
  })
  // A guardian's account in the member's own name is no guardian's (claims.submit refuses it: so is it kept).
  .refine((person) => !person.payout?.guardianRelation || person.payout.holderName !== person.name, {
    message: '监护人账户的户名请填写父母或其他监护人的姓名；用家人本人的账户，请不要选监护人账户',
    path: ['payout', 'holderName'],
  });
export type PersonInput = z.input<typeof personInputSchema>;

/** A family member's kept account (number masked); a guardian's for a minor names its holder and their relation. */
export interface PersonPayoutView {
  bankName: string;
  accountNumber: string;
  guardianRelation?: GuardianRelation;
  holderName?: string;
}

/** One family member as the app sees them: personal fields masked. */
export interface PersonView {
  id: string;
  relation: PersonRelation;
  name: string;
  idNumber: string;
  insuranceType?: InsuranceType;
  retired: boolean;
  region?: string;
  payout?: PersonPayoutView;
  phone?: string;
  updatedAt: string;
}

/** 删除家庭成员: one of the caller's 家人 (本人 stays; so does anyone a claim still in progress names). */
export const removePersonInputSchema = z.strictObject({ id: personIdSchema });
export type RemovePersonInput = z.input<typeof removePersonInputSchema>;

export const personLedgerInputSchema = z.strictObject({
  personId: personIdSchema,
  region: z.string().regex(/^\d{6}$/, '参保地代码为 6 位数字'),
  insuranceType: insuranceTypeSchema,
  year: z.number().int().min(2000).max(2100),
});
