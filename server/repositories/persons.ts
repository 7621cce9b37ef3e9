/**
 * The `persons` collection: the family members (本人 and 家人) an account files for. One document per
 * account and 身份证号 (its id derives from the owner and the number's fingerprint, so adding the same
 * person twice — or two taps at once — updates one document). 身份证号, bank account and phone are
 * sealed (`sealed`); the document keeps masked copies to show. `personKey` is the same fingerprint
 * the claims and the year ledger use: two members never share a ledger, one person filed by two
 * accounts shares one.
 */
import { createHash } from 'node:crypto';
import {
  isMasked,
  personRelationLabels,
  type GuardianRelation,
  type PersonInput,
  type PersonPayoutView,
  type PersonRelation,
  type PersonView,
} from '../../src/core/contracts/persons';
import { ageOf, guardianAccountRefusal } from '../../src/core/claimFormDraft';
import { shanghaiDate } from '../../src/core/deadline';
import { DomainError } from '../../src/core/errors';
import { maskBankAccount, maskIdNumber, maskPhone } from '../../src/core/identity';
import type { InsuranceType } from '../../src/core/policy/schema';
import type { Collection, Store, Transaction } from '../ports';
import type { FieldSealer } from '../security/fieldCipher';

export interface PersonDoc {
  _id: string;
  _openid: string;
  relation: PersonRelation;
  name: string;
  personKey: string;
  /** Masked copies, to show. */
  idNumberMasked: string;
  insuranceType: InsuranceType | null;
  retired: boolean;
  region: string | null;
  /** A minor's may be a parent's or guardian's: then its holder and their relation are kept with it. */
  payout: {
    bankName: string;
    accountMasked: string;
    guardianRelation?: GuardianRelation;
    holderName?: string;
  } | null;
  phoneMasked: string | null;
  sealed: { idNumber: string; accountNumber?: string; phone?: string };
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What a parsed person input carries (personal fields typed in full, or masked = keep). */
export type ParsedPersonInput = Omit<PersonInput, 'name'> & { name: string; idNumber: string };

export function personsOf(store: Store): Collection<PersonDoc> {
  return store.collection<PersonDoc>('persons');
}

export function personIdOf(owner: string, personKey: string): string {
  return createHash('sha256').update(`person\u0000${owner}\u0000${personKey}`).digest('hex').slice(0, 32);
}

export function toPersonView(doc: PersonDoc): PersonView {
  return {
    id: doc._id,
    relation: doc.relation,
    name: doc.name,
    idNumber: doc.idNumberMasked,
    retired: doc.retired,
    ...(doc.insuranceType ? { insuranceType: doc.insuranceType } : {}),
    ...(doc.region ? { region: doc.region } : {}),
    ...(doc.payout ? { payout: payoutView(doc.payout) } : {}),
    ...(doc.phoneMasked ? { phone: doc.phoneMasked } : {}),
    updatedAt: doc.updatedAt,
  };
}

function payoutView(payout: NonNullable<PersonDoc['payout']>): PersonPayoutView {
  return {
    bankName: payout.bankName,
    accountNumber: payout.accountMasked,
    ...(payout.guardianRelation && payout.holderName
      ? { guardianRelation: payout.guardianRelation, holderName: payout.holderName }
      : {}),
  };
}

/** A guardian's account refused (`guardianAccountRefusal`'s sentence), named at `path` — by savePerson and by submit. */
export function guardianAccountError(refusal: string, path: string): DomainError {
  return new DomainError('VALIDATION_FAILED', refusal, { issues: [{ path, message: refusal }] });
}

const maskedRefused = (path: string, label: string): DomainError =>
  new DomainError('VALIDATION_FAILED', `请填写完整的${label}`, { issues: [{ path, message: `请填写完整的${label}` }] });

/** A personal value to seal: typed in full, or the masked copy of the one stored before (kept as it is). */
function sealedValue(
  value: string,
  previous: string | undefined,
  mask: (plain: string) => string,
  sealer: FieldSealer,
  path: string,
  label: string,
): string {
  if (!isMasked(value)) return sealer.seal(value);
  if (previous && mask(sealer.open(previous)) === value) return previous;
  throw maskedRefused(path, label);
}

/** Which member is an account's 本人 (`selves`, id = the account): read and written in the transaction that saves 本人. */
interface SelfDoc {
  _id: string;
  personId: string;
}

const memberName = (doc: PersonDoc): string => `「${personRelationLabels[doc.relation]}」${doc.name}`;

/**
 * Adds or updates a family member of `owner` in one transaction. With `id`: that person (NOT_FOUND when
 * it is not theirs). Without: the person with this 身份证号 (created when new).
 * A member's 身份证号 is who they are (their id derives from it): an edit with another number is refused —
 * PERSON_DUPLICATE when another member holds it, PERSON_ID_NUMBER_FIXED when nobody does (a black-box probe gave two
 * members one number, so one ledger). One 本人 per account (PERSON_SELF_EXISTS), and 本人 stays 本人 (PERSON_IS_SELF):
 * `knownSelf` is the 本人 the caller's query found (saved before `selves` kept it); `selves` settles races.
 */
export async function savePerson(
  tx: Transaction,
  sealer: FieldSealer,
  owner: string,
  input: ParsedPersonInput,
  now: Date,
  knownSelf: PersonDoc | null = null,
): Promise<PersonDoc> {
  let stored: PersonDoc | null = null;
  if (input.id) {
    stored = await tx.get<PersonDoc>('persons', input.id);
    if (!stored || stored._openid !== owner) throw new DomainError('NOT_FOUND', '没有找到这位家庭成员');
  } else if (isMasked(input.idNumber)) {
    throw maskedRefused('idNumber', '身份证号');
  }
  const idSealed = sealedValue(input.idNumber, stored?.sealed.idNumber, maskIdNumber, sealer, 'idNumber', '身份证号');
  const idNumber = sealer.open(idSealed);
  if (input.payout?.guardianRelation) {
    // Kept only for someone a claim may pay into it (the policy is checked by the handler, and again at submit).
    const refusal = guardianAccountRefusal(true, ageOf(idNumber, shanghaiDate(now)));
    if (refusal) throw guardianAccountError(refusal, 'payout.guardianRelation');
  }
  const personKey = sealer.fingerprint(idNumber);
  if (stored && stored.personKey !== personKey) {
    const holder = await tx.get<PersonDoc>('persons', personIdOf(owner, personKey));
    if (holder && holder._openid === owner)
      throw new DomainError(
        'PERSON_DUPLICATE',
        `身份证号 ${maskIdNumber(idNumber)} 已经登记为${memberName(holder)}，一个身份证号只登记一次；请核对号码，或直接选${holder.name}`,
        { details: { personId: holder._id } },
      );
    throw new DomainError(
      'PERSON_ID_NUMBER_FIXED',
      `已登记的家庭成员不能改身份证号：号码填错了，请删除${memberName(stored)}后重新添加；为另一个人申请，请添加新的家庭成员`,
    );
  }
  const id = stored?._id ?? personIdOf(owner, personKey);
  if (!stored) stored = await tx.get<PersonDoc>('persons', id);
  if (stored?.relation === 'self' && input.relation !== 'self')
    throw new DomainError(
      'PERSON_IS_SELF',
      `${memberName(stored)}不能改成家人；为家人申请，请添加家庭成员，填写家人自己的身份证号`,
    );
  // Saved by number (no id) onto a member under another name or relation: someone else's number typed by mistake, not
  // this member again (a walk: 子女 何涛 typed with 王秀英's number renamed her, whose claim was in progress).
  if (!input.id && stored && (stored.relation !== input.relation || stored.name !== input.name))
    throw new DomainError(
      'PERSON_DUPLICATE',
      `身份证号 ${maskIdNumber(idNumber)} 已经登记为${memberName(stored)}：是同一个人，请直接选${stored.name}；不是，请核对身份证号`,
      { details: { personId: stored._id } },
    );
  if (input.relation === 'self' && stored?.relation !== 'self') {
    const marker = await tx.get<SelfDoc>('selves', owner);
    const self = marker && marker.personId !== id ? await tx.get<PersonDoc>('persons', marker.personId) : knownSelf;
    if (self && self._id !== id && self.relation === 'self')
      throw new DomainError(
        'PERSON_SELF_EXISTS',
        `已经登记了本人${self.name}（身份证号 ${self.idNumberMasked}），一个账号只有一位本人；为家人申请，请选「家人」`,
        { details: { personId: self._id } },
      );
    await tx.set<SelfDoc>('selves', { _id: owner, personId: id });
  }
  const accountSealed = input.payout
    ? sealedValue(
        input.payout.accountNumber,
        stored?.sealed.accountNumber,
        maskBankAccount,
        sealer,
        'payout.accountNumber',
        '银行卡号',
      )
    : undefined;
  const phoneSealed = input.phone
    ? sealedValue(input.phone, stored?.sealed.phone, maskPhone, sealer, 'phone', '手机号')
    : undefined;
  const at = now.toISOString();
  const doc: PersonDoc = {
    _id: id,
    _openid: owner,
    relation: input.relation,
    name: input.name,
    personKey,
    idNumberMasked: maskIdNumber(idNumber),
    insuranceType: input.insuranceType ?? stored?.insuranceType ?? null,
    retired: input.retired ?? stored?.retired ?? false,
    region: input.region ?? stored?.region ?? null,
    payout:
      input.payout && accountSealed
        ? {
            bankName: input.payout.bankName,
            accountMasked: maskBankAccount(sealer.open(accountSealed)),
            ...(input.payout.guardianRelation && input.payout.holderName
              ? { guardianRelation: input.payout.guardianRelation, holderName: input.payout.holderName }
              : {}),
          }
        : (stored?.payout ?? null),
    phoneMasked: phoneSealed ? maskPhone(sealer.open(phoneSealed)) : (stored?.phoneMasked ?? null),
    sealed: {
      idNumber: idSealed,
      ...((accountSealed ?? stored?.sealed.accountNumber)
        ? { accountNumber: accountSealed ?? stored?.sealed.accountNumber }
        : {}),
      ...((phoneSealed ?? stored?.sealed.phone) ? { phone: phoneSealed ?? stored?.sealed.phone } : {}),
    },
    version: (stored?.version ?? 0) + 1,
    createdAt: stored?.createdAt ?? at,
    updatedAt: at,
  };
  await tx.set('persons', doc);
  return doc;
}

/**
 * Removes `owner`'s family member `id` in one transaction, provided it is still the version the caller's
 * checks read (a change in between answers CONFLICT: check again). Claims keep their own copy of the form.
 */
export async function removePerson(tx: Transaction, owner: string, id: string, checkedVersion: number): Promise<void> {
  const stored = await tx.get<PersonDoc>('persons', id);
  if (!stored || stored._openid !== owner) throw new DomainError('NOT_FOUND', '没有找到这位家庭成员，可能已经删除');
  if (stored.version !== checkedVersion)
    throw new DomainError('CONFLICT', '这位家庭成员的信息刚刚有变化，请刷新后再试');
  await tx.remove('persons', id);
}

/**
 * Inside the transaction that writes a claim naming `id`: the member must still be there, and their
 * version moves on, so a removal that counted the claims before this write answers CONFLICT instead
 * of leaving a claim that names a removed member.
 */
export async function holdPerson(tx: Transaction, owner: string, id: string, now: Date): Promise<PersonDoc> {
  const stored = await tx.get<PersonDoc>('persons', id);
  if (!stored || stored._openid !== owner)
    throw new DomainError('NOT_FOUND', '没有找到这位家庭成员，可能已经删除，请重新选择');
  const held: PersonDoc = { ...stored, version: stored.version + 1, updatedAt: now.toISOString() };
  await tx.set('persons', held);
  return held;
}

/** The owner's family member, or NOT_FOUND (another account's person is not revealed). */
export async function ownPerson(store: Store, owner: string, id: string): Promise<PersonDoc> {
  const doc = await personsOf(store).get(id);
  if (!doc || doc._openid !== owner) throw new DomainError('NOT_FOUND', '没有找到这位家庭成员，请重新选择');
  return doc;
}

/** The person's personal fields opened (server only: to fill a claim that names them). */
export function openPerson(
  doc: PersonDoc,
  sealer: FieldSealer,
): { idNumber: string; accountNumber?: string; phone?: string } {
  return {
    idNumber: sealer.open(doc.sealed.idNumber),
    ...(doc.sealed.accountNumber ? { accountNumber: sealer.open(doc.sealed.accountNumber) } : {}),
    ...(doc.sealed.phone ? { phone: sealer.open(doc.sealed.phone) } : {}),
  };
}
