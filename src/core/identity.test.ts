import fc from 'fast-check';
import * as z from 'zod';
import {
  bankAccountSchema,
  bankAccountTail,
  bankAccountWarning,
  idNumberCheckChar,
  idNumberSchema,
  isPlausibleName,
  NAME_MAX_LENGTH,
  luhnCheckDigit,
  luhnValid,
  maskBankAccount,
  maskIdNumber,
  maskName,
  maskPhone,
  mobileSchema,
  personNameSchema,
  validateBankAccount,
  validateIdNumber,
  validateMobile,
} from './identity';
import { parseOrThrow } from './validation';
import { DomainError } from './errors';

// The specimen in GB 11643-1999 itself: 11010519491231002X (北京朝阳, 1949-12-31, female).
const STANDARD_SPECIMEN = '11010519491231002X';
const HAND_FIRST17 = '11010119900307123';

describe('身份证号 (GB 11643-1999)', () => {
  it('accepts the standard specimen with its X check character, lower or upper case, with spaces', () => {
    for (const raw of [
      STANDARD_SPECIMEN,
      STANDARD_SPECIMEN.toLowerCase(),
      ' 110105 19491231 002x ',
      '１１０１０５１９４９１２３１００２Ｘ',
    ]) {
      const result = validateIdNumber(raw);
      expect(result).toEqual({
        ok: true,
        value: STANDARD_SPECIMEN,
        regionCode: '110105',
        birthDate: '1949-12-31',
        sex: 'female',
      });
    }
  });

  it('computes the check character by hand for a second number', () => {
    // digits 1 1 0 1 0 1 1 9 9 0 0 3 0 7 1 2 3 × weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    // = 7 + 9 + 0 + 5 + 0 + 4 + 2 + 9 + 54 + 0 + 0 + 27 + 0 + 35 + 8 + 8 + 6 = 174; 174 mod 11 = 9 → "10X98765432"[9] = '3'
    expect(idNumberCheckChar(HAND_FIRST17)).toBe('3');
    expect(validateIdNumber(`${HAND_FIRST17}3`)).toMatchObject({ ok: true, sex: 'male', birthDate: '1990-03-07' });
    expect(validateIdNumber(`${HAND_FIRST17}4`)).toMatchObject({ ok: false, code: 'ID_CHECKSUM' });
  });

  it.each([
    ['', 'ID_EMPTY', '请填写身份证号'],
    ['1101051949123100', 'ID_LENGTH', '身份证号应为 18 位，现在是 16 位'],
    ['110105491231002', 'ID_LENGTH', '请填写 18 位的新版身份证号（15 位旧号已停用）'],
    ['1101051949123100XX', 'ID_FORMAT', '身份证号前 17 位应为数字，最后一位为数字或 X'],
    ['11010519491231002Y', 'ID_FORMAT', '身份证号前 17 位应为数字，最后一位为数字或 X'],
    ['99010519491231002X', 'ID_REGION', '身份证号前 6 位地区代码不正确，请核对'],
    ['110000194912310021', 'ID_REGION', '身份证号前 6 位地区代码不正确，请核对'],
    ['110105194902300020', 'ID_BIRTH_DATE', '身份证号中的出生日期（第 7-14 位）不正确，请核对'],
    ['110105194913310020', 'ID_BIRTH_DATE', '身份证号中的出生日期（第 7-14 位）不正确，请核对'],
    ['110105189912310020', 'ID_BIRTH_DATE', '身份证号中的出生日期（第 7-14 位）不正确，请核对'],
    ['110105194912310021', 'ID_CHECKSUM', '身份证号校验位不对，可能有数字输错了，请逐位核对'],
  ])('refuses %j with %s', (raw, code, message) => {
    expect(validateIdNumber(raw)).toEqual({ ok: false, code, message });
  });

  it('checks the birth date against today only when told today', () => {
    const first17 = '11010520300101001';
    const future = `${first17}${idNumberCheckChar(first17)}`;
    expect(validateIdNumber(future).ok).toBe(true);
    expect(validateIdNumber(future, { today: '2026-11-23' })).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE' });
    expect(validateIdNumber(STANDARD_SPECIMEN, { today: '2026-11-23' }).ok).toBe(true);
  });

  it('accepts a 29 February only in a leap year', () => {
    const leap = '11010520000229001';
    const notLeap = '11010519000229001';
    expect(validateIdNumber(leap + idNumberCheckChar(leap)).ok).toBe(true);
    expect(validateIdNumber(notLeap + idNumberCheckChar(notLeap))).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE' });
  });

  const province = fc.constantFrom('11', '31', '44', '65', '81', '83');
  const rest4 = fc.integer({ min: 1, max: 9999 }).map((n) => String(n).padStart(4, '0'));
  const birth = fc
    .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2025, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''));
  const seq = fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0'));
  const first17 = fc.tuple(province, rest4, birth, seq).map((parts) => parts.join(''));

  it('property: every generated number with its computed check character validates', () => {
    fc.assert(
      fc.property(first17, (head) => {
        const id = head + idNumberCheckChar(head);
        const result = validateIdNumber(id);
        return result.ok && result.value === id && result.sex === (Number(head[16]) % 2 === 1 ? 'male' : 'female');
      }),
      { numRuns: 2000 },
    );
  });

  it('property: any other check character is refused as a checksum error', () => {
    fc.assert(
      fc.property(first17, fc.constantFrom(...'0123456789X'), (head, check) => {
        fc.pre(check !== idNumberCheckChar(head));
        const result = validateIdNumber(head + check);
        return !result.ok && result.code === 'ID_CHECKSUM';
      }),
      { numRuns: 2000 },
    );
  });

  it('property: changing any single digit of a valid number is always caught (MOD 11-2 detects single errors)', () => {
    fc.assert(
      fc.property(first17, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (head, position, delta) => {
        const id = head + idNumberCheckChar(head);
        const changed = id.slice(0, position) + String((Number(id[position]) + delta) % 10) + id.slice(position + 1);
        return !validateIdNumber(changed).ok;
      }),
      { numRuns: 2000 },
    );
  });

  it('property: swapping two different adjacent digits is always caught', () => {
    fc.assert(
      fc.property(first17, fc.integer({ min: 0, max: 15 }), (head, position) => {
        fc.pre(head[position] !== head[position + 1]);
        const id = head + idNumberCheckChar(head);
        const swapped = id.slice(0, position) + id[position + 1] + id[position] + id.slice(position + 2);
        return !validateIdNumber(swapped).ok;
      }),
      { numRuns: 2000 },
    );
  });

  it('property: never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (raw) => typeof validateIdNumber(raw).ok === 'boolean'));
  });

  it('idNumberCheckChar refuses anything but 17 digits', () => {
    expect(() => idNumberCheckChar('123')).toThrow(RangeError);
  });
});

describe('bank account and Luhn', () => {
  it('knows the classic Luhn examples', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('12a4')).toBe(false);
    expect(luhnCheckDigit('7992739871')).toBe('3');
  });

  it('property: payload + luhnCheckDigit passes, every other final digit fails', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11,18}$/), fc.integer({ min: 1, max: 9 }), (payload, delta) => {
        const check = luhnCheckDigit(payload);
        const wrong = String((Number(check) + delta) % 10);
        return luhnValid(payload + check) && !luhnValid(payload + wrong);
      }),
    );
  });

  it('a Luhn failure is a warning, not an error', () => {
    const ok = validateBankAccount('6222 0202 0011 2233 446');
    expect(ok).toEqual({ ok: true, value: '6222020200112233446' });
    const warned = validateBankAccount('6222020200112233445');
    expect(warned).toMatchObject({ ok: true, value: '6222020200112233445', warning: { code: 'BANK_LUHN' } });
    expect(bankAccountWarning('6222020200112233445')).toMatch(/校验位/);
    expect(bankAccountWarning('6222020200112233446')).toBeNull();
    expect(bankAccountSchema.parse('6222-0202-0011-2233-445')).toBe('6222020200112233445');
  });

  it.each([
    ['', 'BANK_EMPTY'],
    ['6222abc', 'BANK_FORMAT'],
    ['12345678901', 'BANK_LENGTH'],
    ['1'.repeat(31), 'BANK_LENGTH'],
  ])('refuses %j with %s', (raw, code) => {
    expect(validateBankAccount(raw)).toMatchObject({ ok: false, code });
  });
});

describe('mobile', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['8613812345678', '13812345678'],
  ])('accepts %j', (raw, value) => {
    expect(validateMobile(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'PHONE_EMPTY'],
    ['12812345678', 'PHONE_FORMAT'],
    ['1381234567', 'PHONE_FORMAT'],
    ['0411-83709172', 'PHONE_FORMAT'],
  ])('refuses %j', (raw, code) => {
    expect(validateMobile(raw)).toMatchObject({ ok: false, code });
  });
});

describe('masks', () => {
  it('mask as the product shows them', () => {
    expect(maskIdNumber('110101199003071234')).toBe('110***********1234');
    expect(maskIdNumber(STANDARD_SPECIMEN.toLowerCase())).toBe('110***********002X');
    expect(maskBankAccount('6222020200112233445')).toBe('6222 **** **** 3445');
    expect(maskBankAccount('6222 0202 0011 2233 445')).toBe('6222 **** **** 3445');
    expect(maskBankAccount('1234')).toBe('****');
    expect(bankAccountTail('6222020200112233445')).toBe('3445');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('')).toBe('');
  });

  it('property: a masked id number keeps its length and never shows digits 4-14', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const masked = maskIdNumber(id);
        return (
          masked.length === 18 &&
          masked.slice(3, 14) === '*'.repeat(11) &&
          masked.slice(0, 3) === id.slice(0, 3) &&
          masked.slice(14) === id.slice(14)
        );
      }),
    );
  });
});

describe('zod schemas for forms', () => {
  it('normalise valid values', () => {
    expect(idNumberSchema.parse(' 11010519491231002x')).toBe(STANDARD_SPECIMEN);
    expect(mobileSchema.parse('138 1234 5678')).toBe('13812345678');
    expect(personNameSchema.parse(' 阿依古丽•买买提 ')).toBe('阿依古丽·买买提');
  });

  it('refuse a birth date after today in Asia/Shanghai (a typo in the year, 2030 for 1930)', () => {
    const first17 = '11010520300101001';
    const result = idNumberSchema.safeParse(`${first17}${idNumberCheckChar(first17)}`);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('出生日期');
    jest.useFakeTimers({ now: Date.parse('2026-12-31T16:30:00Z') }); // 2027-01-01 00:30 in Shanghai
    try {
      const born = '11010520270101001';
      expect(idNumberSchema.safeParse(`${born}${idNumberCheckChar(born)}`).success).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('report the Chinese message at the field path', () => {
    try {
      parseOrThrow(z.object({ idNumber: idNumberSchema, phone: mobileSchema, name: personNameSchema }), {
        idNumber: '110105194912310021',
        phone: '123',
        name: 'x1',
      });
      throw new Error('expected a DomainError');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).issues).toEqual([
        { path: 'idNumber', message: '身份证号校验位不对，可能有数字输错了，请逐位核对' },
        { path: 'phone', message: '请填写 11 位手机号，以 1 开头' },
        { path: 'name', message: '请填写与证件一致的姓名（汉字，少数民族姓名可用 ·）' },
      ]);
    }
  });

  it('plausible names', () => {
    expect(isPlausibleName('张三')).toBe(true);
    expect(isPlausibleName('John Smith')).toBe(true);
    expect(isPlausibleName('张')).toBe(false);
    expect(isPlausibleName('张3')).toBe(false);
  });

  it('a minority name of up to six parts and 40 characters is taken; one that is not says why (a walk: five parts refused, the sentence naming 汉字 and ·, both of which it was)', () => {
    const fiveParts = '阿卜杜热合曼·买买提艾力·库尔班尼亚孜·艾合买提江·吐尔逊托合提';
    expect(fiveParts.length).toBeLessThanOrEqual(NAME_MAX_LENGTH);
    expect(personNameSchema.parse(fiveParts)).toBe(fiveParts);
    const problem = (name: string) => personNameSchema.safeParse(name).error?.issues[0]?.message;
    expect(personNameSchema.parse(`${fiveParts}·阿不都热依木江`)).toHaveLength(40);
    expect(problem(`${fiveParts}·阿不都热依木江·艾力`)).toBe('姓名最多 40 个字，请按证件填写');
    expect(problem('买买提·')).toBe('「·」只用在名字的各部分之间，不能在开头或末尾');
    expect(problem('·买买提')).toBe('「·」只用在名字的各部分之间，不能在开头或末尾');
    expect(problem('买买提··艾力')).toBe('两个「·」之间要有字，请删掉多出的「·」');
    expect(problem('')).toBe('请填写姓名');
    expect(problem('张')).toBe('姓名至少 2 个字，请按证件填写');
    expect(problem('张3')).toBe('请填写与证件一致的姓名（汉字，少数民族姓名可用 ·）');
  });
});
