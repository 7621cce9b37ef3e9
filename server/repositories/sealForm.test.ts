/** Sealing personal fields (身份证号, 卡号, 手机号): whatever their type, nothing personal is stored in clear. */
import { FieldCipher } from '../security/fieldCipher';
import { openForm, sealForm, type ClaimDoc } from './claims';

const sealer = FieldCipher.fromHex('3c'.repeat(32));
const id = '210202198001011236';
const account = '6222111122223333';
const phone = '13611223344';

/** Every string and number inside a stored form, as text: what would reach the disk. */
const storedText = (form: unknown): string => JSON.stringify(form);

const reopen = (form: Record<string, unknown>, sealed: ClaimDoc['sealed']) =>
  openForm({ form, sealed } as ClaimDoc, sealer);

describe('sealForm', () => {
  it('seals strings and stores their masks', () => {
    const { form, sealed } = sealForm({ insured: { idNumber: id }, payout: { accountNumber: account }, phone }, sealer);
    expect(form).toEqual({
      insured: { idNumber: '210***********1236' },
      payout: { accountNumber: '6222 **** **** 3333' },
      phone: '136****3344',
    });
    expect(reopen(form, sealed)).toEqual({ insured: { idNumber: id }, payout: { accountNumber: account }, phone });
  });

  it('seals numbers too: neither the phone nor the account is stored in clear', () => {
    const { form, sealed } = sealForm(
      { phone: 13611223344, payout: { accountNumber: 6222111122223333 }, insured: { idNumber: 210202198001011230 } },
      sealer,
    );
    expect(storedText(form)).not.toContain('13611223344');
    expect(storedText(form)).not.toContain('6222111122223333');
    expect(storedText(form)).not.toMatch(/2102021980/);
    expect(form).toMatchObject({ phone: '136****3344', payout: { accountNumber: '6222 **** **** 3333' } });
    expect(sealer.open(sealed.phone!)).toBe('13611223344');
    expect(sealer.open(sealed.accountNumber!)).toBe('6222111122223333');
  });

  it('a value containing * that is not the mask of what was sealed before is sealed, not kept in clear', () => {
    const { form, sealed } = sealForm({ phone: '136*1122334', payout: { accountNumber: '6222*111122223333' } }, sealer);
    expect(storedText(form)).not.toContain('1122334');
    expect(storedText(form)).not.toContain('111122223333');
    expect(sealer.open(sealed.phone!)).toBe('136*1122334');
    expect(sealer.open(sealed.accountNumber!)).toBe('6222*111122223333');
  });

  it('exactly the mask of the earlier sealed value keeps the earlier value (a re-save of what the app got back)', () => {
    const first = sealForm({ insured: { idNumber: id }, phone }, sealer);
    const again = sealForm(first.form, sealer, first.sealed);
    expect(again.sealed).toEqual(first.sealed);
    expect(again.form).toEqual(first.form);
    expect(reopen(again.form, again.sealed)).toEqual({ insured: { idNumber: id }, phone });
  });

  it('a different masked-looking value replaces the earlier one (sealed as given)', () => {
    const first = sealForm({ phone }, sealer);
    const other = sealForm({ phone: '139****0000' }, sealer, first.sealed);
    expect(sealer.open(other.sealed.phone!)).toBe('139****0000');
  });

  it('anything else at a personal path (an object, an array, a boolean) is dropped, never stored', () => {
    const { form, sealed } = sealForm(
      { phone: { digits: phone }, payout: { accountNumber: [account] }, insured: { idNumber: true } },
      sealer,
    );
    expect(storedText(form)).not.toContain(phone);
    expect(storedText(form)).not.toContain(account);
    expect(form).toEqual({ phone: null, payout: { accountNumber: null }, insured: { idNumber: null } });
    expect(sealed).toEqual({});
  });

  it('leaves empty fields and the rest of the form alone', () => {
    const input = { hospital: { name: '协和' }, phone: '', insured: { name: '张三' } };
    expect(sealForm(input, sealer)).toEqual({ form: input, sealed: {} });
  });
});
