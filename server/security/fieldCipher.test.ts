import { FieldCipher } from './fieldCipher';
import { tempDir } from '../../test/support/ports';

describe('FieldCipher (AES-256-GCM)', () => {
  const cipher = FieldCipher.fromHex('11'.repeat(32));

  it('round-trips and never stores the plain text', () => {
    const sealed = cipher.encrypt('11010519491231002X');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('11010519491231002X');
    expect(cipher.decrypt(sealed)).toBe('11010519491231002X');
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt('6222020200112233445')).not.toBe(cipher.encrypt('6222020200112233445'));
  });

  it('refuses tampered data and a different key', () => {
    const sealed = cipher.encrypt('13800138000');
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.decrypt([parts[0], parts[1], parts[2], flipped.toString('base64url')].join(':'))).toThrow();
    expect(() => FieldCipher.fromHex('22'.repeat(32)).decrypt(sealed)).toThrow();
  });

  it('keeps the local key across restarts', () => {
    const dir = tempDir();
    const sealed = FieldCipher.forDataDir(dir).encrypt('secret');
    expect(FieldCipher.forDataDir(dir).decrypt(sealed)).toBe('secret');
  });

  it('refuses a malformed key', () => {
    expect(() => FieldCipher.fromHex('abc')).toThrow(/64 hex/);
    expect(() => FieldCipher.fromHex(undefined)).toThrow();
  });
});
