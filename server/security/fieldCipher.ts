/**
 * Encryption at rest for personal fields (身份证号, bank account, phone): AES-256-GCM with a random
 * 96-bit IV per value (from the CSPRNG through server/security/randomPool.ts). Stored form: "v1:<iv b64url>:<tag b64url>:<ciphertext b64url>".
 * The key comes from FIELD_KEY (64 hex chars) in the cloud; locally it is generated once into
 * `.data/field.key`. Masked copies are stored beside for lists, cards and logs.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshRandomBytes } from './randomPool';

const VERSION = 'v1';

export interface FieldSealer {
  seal(plain: string): string;
  open(sealed: string): string;
  /** A stable keyed fingerprint (HMAC-SHA256) to find records by a personal value without storing it. */
  fingerprint(plain: string): string;
}

export class FieldCipher implements FieldSealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('FieldCipher needs a 32-byte key');
  }

  static fromHex(hex: string | undefined): FieldCipher {
    if (!hex || !/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('FIELD_KEY must be 64 hex characters (32 bytes)');
    return new FieldCipher(Buffer.from(hex, 'hex'));
  }

  /** The local key: generated once into the data directory, then reused across restarts. */
  static forDataDir(dataDir: string): FieldCipher {
    const file = path.join(dataDir, 'field.key');
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    return FieldCipher.fromHex(readFileSync(file, 'utf8').trim());
  }

  seal(plain: string): string {
    return this.encrypt(plain);
  }

  open(sealed: string): string {
    return this.decrypt(sealed);
  }

  fingerprint(plain: string): string {
    return createHmac('sha256', this.key).update(`fingerprint\n${plain}`).digest('base64url').slice(0, 32);
  }

  encrypt(plain: string): string {
    const iv = freshRandomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      data.toString('base64url'),
    ].join(':');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('not a sealed field');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
