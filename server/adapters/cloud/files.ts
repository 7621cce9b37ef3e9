/**
 * Files on WeChat cloud storage; ownership recorded in the `files` collection at registration.
 * The mini-program uploads straight to storage (`Taro.cloud.uploadFile`), then calls
 * `files.register`: the function downloads the bytes once, checks what they are (the core's byte
 * sniffer, not the name), and records owner, type, size and SHA-256 — the duplicate-photo check
 * and the reviewer's page read them from here.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../../../src/core/errors';
import { checkUploadBytes } from '../../../src/core/fileType';
import { uploadLimitsFrom, type UploadLimits } from '../../../src/core/uploadQuota';
import type { Clock, Files, Store, StoredFile } from '../../ports';
import { FileRecords } from '../../repositories/fileRecords';
import type { WxCloud } from './sdk';

type FileDoc = StoredFile & { _id: string; _openid: string };

/** The same ceiling as the local upload endpoint (the app compresses photos far below it). */
export const MAX_REGISTERED_BYTES = 10 * 1024 * 1024;

/** getTempFileURL takes at most 50 files per call. */
export const TEMP_URL_BATCH = 50;

const idOf = (fileID: string): string => createHash('sha256').update(fileID).digest('hex').slice(0, 32);

const notFound = (): DomainError => new DomainError('FILE_NOT_FOUND', '文件不存在或已被删除，请重新上传');

function strip(doc: FileDoc): StoredFile {
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

export class CloudFiles implements Files {
  /** Records seen by this instance (a warm instance skips the database round trip for them). */
  private readonly records: FileRecords<FileDoc>;

  constructor(
    private readonly cloud: WxCloud,
    private readonly store: Store,
    private readonly clock: Clock,
    /**
     * How much one account may register a day (core/uploadQuota). Omitted: the function's environment
     * (UPLOAD_FILES_PER_DAY, UPLOAD_MB_PER_DAY; defaults when unset), read at registration, so a
     * mistyped value is logged and answered as INTERNAL rather than stopping the function's load.
     */
    private readonly uploadLimits?: UploadLimits,
  ) {
    this.records = new FileRecords<FileDoc>(store);
  }

  async describe(fileID: string): Promise<StoredFile | null> {
    const doc = await this.records.get(idOf(fileID));
    return doc ? strip(doc) : null;
  }

  async describeMany(fileIDs: readonly string[]): Promise<Map<string, StoredFile>> {
    const ids = new Map(fileIDs.map((fileID) => [idOf(fileID), fileID]));
    const docs = await this.records.getMany([...ids.keys()]);
    return new Map([...docs].map(([id, doc]) => [ids.get(id)!, strip(doc)]));
  }

  async temporaryUrl(fileID: string): Promise<string> {
    const [url] = await this.temporaryUrls([fileID]);
    if (!url) throw notFound();
    return url;
  }

  /** One getTempFileURL call per 50 files; '' for a file storage does not have. */
  async temporaryUrls(fileIDs: readonly string[]): Promise<string[]> {
    const urls: string[] = [];
    for (let start = 0; start < fileIDs.length; start += TEMP_URL_BATCH) {
      const batch = fileIDs.slice(start, start + TEMP_URL_BATCH);
      const { fileList } = await this.cloud.getTempFileURL({ fileList: [...batch] });
      const byId = new Map(fileList.map((entry) => [entry.fileID, entry]));
      for (const fileID of batch) {
        const entry = byId.get(fileID);
        urls.push(entry && entry.status === 0 ? entry.tempFileURL : '');
      }
    }
    return urls;
  }

  async bytes(fileID: string): Promise<Buffer> {
    try {
      return (await this.cloud.downloadFile({ fileID })).fileContent;
    } catch {
      throw notFound();
    }
  }

  async register(owner: string, fileID: string, name: string): Promise<StoredFile> {
    const existing = await this.describe(fileID);
    if (existing) return this.ownedBy(existing, owner);
    // Downloading proves the file is in this environment's storage and gives what the record needs.
    const bytes = await this.bytes(fileID);
    if (bytes.length > MAX_REGISTERED_BYTES) {
      await this.discard(fileID);
      throw new DomainError('PAYLOAD_TOO_LARGE', '文件超过 10 MB，请压缩或重新拍摄后上传');
    }
    // The same rule as local uploads (DiskFiles.put): photos only — an e-invoice travels as a screenshot or a photo of its print.
    const checked = checkUploadBytes(bytes, { allowPdf: false });
    if (!checked.ok) {
      await this.discard(fileID);
      throw new DomainError(checked.code, checked.message);
    }
    const doc: FileDoc = {
      _id: idOf(fileID),
      _openid: owner,
      fileID,
      owner,
      contentType: checked.contentType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      name: name.slice(0, 120),
      uploadedAt: this.clock.now().toISOString(),
    };
    let recorded: FileDoc;
    try {
      // In one transaction with the owner's count for the day; a record registered concurrently is answered as it is.
      recorded = await this.records.insertCounted(
        doc,
        this.clock.now(),
        this.uploadLimits ?? uploadLimitsFrom(process.env),
      );
    } catch (error) {
      if (error instanceof DomainError) await this.discard(fileID);
      throw error;
    }
    return this.ownedBy(strip(recorded), owner);
  }

  async remove(fileID: string): Promise<void> {
    await this.records.remove(idOf(fileID));
    // deleteFile answers per file; a file already gone is reported there, not thrown.
    await this.cloud.deleteFile({ fileList: [fileID] });
  }

  private ownedBy(file: StoredFile, owner: string): StoredFile {
    if (file.owner !== owner) throw new DomainError('FILE_FORBIDDEN', '这个文件不是您上传的，不能使用');
    return file;
  }

  /** A refused upload is nobody's: remove it from storage rather than leave a stray copy. */
  private async discard(fileID: string): Promise<void> {
    await this.cloud.deleteFile({ fileList: [fileID] }).catch(() => undefined);
  }
}
