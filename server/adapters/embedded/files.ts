/**
 * Embedded stand-in for WeChat cloud storage: bytes under `<dataDir>/files/`, metadata in the
 * `files` collection, `cloud://`-style ids owned by the uploader, and signed short-lived URLs
 * (the local counterpart of getTempFileURL).
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../../src/core/errors';
import { checkUploadBytes } from '../../../src/core/fileType';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../../../src/core/uploadQuota';
import type { Clock, Files, Store, StoredFile } from '../../ports';
import { FileRecords } from '../../repositories/fileRecords';

export const LOCAL_ENV_ID = 'local-dev';
const TEMP_URL_SECONDS = 15 * 60;

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

type FileDoc = StoredFile & { _id: string; _openid: string };

export class DiskFiles implements Files {
  private readonly dir: string;
  private readonly records: FileRecords<FileDoc>;

  constructor(
    dataDir: string,
    private readonly store: Store,
    private readonly secret: Buffer,
    private readonly clock: Clock,
    private readonly publicBase = '',
    /** How much one account may upload a day (core/uploadQuota). */
    private readonly uploadLimits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
  ) {
    this.dir = path.join(dataDir, 'files');
    this.records = new FileRecords<FileDoc>(store);
  }

  /**
   * Stores bytes for `owner` and returns the new file's metadata. What the bytes are decides (the
   * core's sniffer): a photo (JPEG, PNG, WebP, HEIC/HEIF) is stored with the type read from its bytes —
   * whatever the client declared — and anything else is refused with UNSUPPORTED_FILE_TYPE before a
   * byte is written. PDF is refused too: no upload of the app expects an electronic invoice as a PDF
   * (电子票据 travel as a screenshot or a photo of the print, which OCR can read).
   * `_declaredType` is what the client said the file is: kept in the signature (the same as the
   * emulated cloud files' `put`) but never used. Written to a temp name first, then renamed: never half a file.
   * The record is counted in the owner's day (core/uploadQuota): past the limit the bytes are removed again
   * and UPLOAD_LIMIT_REACHED thrown.
   */
  async put(owner: string, name: string, _declaredType: string, bytes: Buffer): Promise<StoredFile> {
    const checked = checkUploadBytes(bytes, { allowPdf: false });
    if (!checked.ok) throw new DomainError(checked.code, checked.message);
    const { contentType, extension } = checked;
    const ownerDir = createHash('sha256').update(owner).digest('hex').slice(0, 16);
    const key = `${ownerDir}/${randomUUID()}.${extension}`;
    const target = path.join(this.dir, key);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(`${target}.part`, bytes);
    await rename(`${target}.part`, target);
    const file: FileDoc = {
      _id: key,
      _openid: owner,
      fileID: `cloud://${LOCAL_ENV_ID}/${key}`,
      owner,
      contentType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      name: name.slice(0, 120),
      uploadedAt: this.clock.now().toISOString(),
    };
    try {
      await this.records.insertCounted(file, this.clock.now(), this.uploadLimits);
    } catch (error) {
      // Past the day's limit (or the store failed): no record, so the bytes go too.
      await unlink(target).catch(() => undefined);
      throw error;
    }
    return stripDoc(file);
  }

  async describe(fileID: string): Promise<StoredFile | null> {
    const key = keyOf(fileID);
    if (!key) return null;
    const doc = await this.records.get(key);
    return doc ? stripDoc(doc) : null;
  }

  async describeMany(fileIDs: readonly string[]): Promise<Map<string, StoredFile>> {
    const keys = new Map<string, string>();
    for (const fileID of fileIDs) {
      const key = keyOf(fileID);
      if (key) keys.set(key, fileID);
    }
    const docs = await this.records.getMany([...keys.keys()]);
    return new Map([...docs].map(([key, doc]) => [keys.get(key)!, stripDoc(doc)]));
  }

  /** Locally the upload endpoint already recorded the owner: registering only confirms it. */
  async register(owner: string, fileID: string): Promise<StoredFile> {
    const meta = await this.describe(fileID);
    if (!meta) throw new DomainError('FILE_NOT_FOUND', '文件不存在，请重新上传');
    if (meta.owner !== owner) throw new DomainError('FILE_FORBIDDEN', '这个文件不是您上传的，不能使用');
    return meta;
  }

  async remove(fileID: string): Promise<void> {
    const key = keyOf(fileID);
    if (!key) return;
    await this.records.remove(key);
    await unlink(path.join(this.dir, key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async bytes(fileID: string): Promise<Buffer> {
    const file = await this.read(fileID);
    if (!file) throw new DomainError('FILE_NOT_FOUND', '文件不存在，请重新上传');
    return file.bytes;
  }

  async read(fileID: string): Promise<{ meta: StoredFile; bytes: Buffer } | null> {
    const meta = await this.describe(fileID);
    const key = keyOf(fileID);
    if (!meta || !key) return null;
    return { meta, bytes: await readFile(path.join(this.dir, key)) };
  }

  async temporaryUrl(fileID: string): Promise<string> {
    const expires = Math.floor(this.clock.now().getTime() / 1000) + TEMP_URL_SECONDS;
    const signature = this.sign(fileID, expires);
    return `${this.publicBase}/api/files/raw?fileID=${encodeURIComponent(fileID)}&expires=${expires}&sig=${signature}`;
  }

  async temporaryUrls(fileIDs: readonly string[]): Promise<string[]> {
    return Promise.all(fileIDs.map((fileID) => this.temporaryUrl(fileID)));
  }

  /** Checks a temporary URL's signature and expiry. */
  verifyTemporaryUrl(fileID: string, expires: number, signature: string): boolean {
    if (!Number.isSafeInteger(expires) || expires < this.clock.now().getTime() / 1000) return false;
    const expected = Buffer.from(this.sign(fileID, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(fileID: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${fileID}\n${expires}`).digest('base64url');
  }
}

function keyOf(fileID: string): string | null {
  const prefix = `cloud://${LOCAL_ENV_ID}/`;
  if (!fileID.startsWith(prefix)) return null;
  const key = fileID.slice(prefix.length);
  return /^[0-9a-f]{16}\/[0-9a-f-]{36}\.[a-z]{3,4}$/.test(key) ? key : null;
}

function stripDoc(doc: FileDoc): StoredFile {
  return {
    fileID: doc.fileID,
    owner: doc.owner,
    contentType: doc.contentType,
    size: doc.size,
    sha256: doc.sha256,
    name: doc.name,
    uploadedAt: doc.uploadedAt,
  };
}
