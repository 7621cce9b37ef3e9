/** Files on WeChat cloud storage; ownership recorded in the `files` collection at registration. */
import { createHash } from 'node:crypto';
import { DomainError } from '../../../src/core/errors';
import { StoreError, type Clock, type Files, type Store, type StoredFile } from '../../ports';
import type { WxCloud } from './sdk';

type FileDoc = StoredFile & { _id: string; _openid: string };

const idOf = (fileID: string): string => createHash('sha256').update(fileID).digest('hex').slice(0, 32);

export class CloudFiles implements Files {
  constructor(
    private readonly cloud: WxCloud,
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async describe(fileID: string): Promise<StoredFile | null> {
    return this.store.collection<FileDoc>('files').get(idOf(fileID));
  }

  async temporaryUrl(fileID: string): Promise<string> {
    const { fileList } = await this.cloud.getTempFileURL({ fileList: [fileID] });
    const entry = fileList[0];
    if (!entry || entry.status !== 0) throw new DomainError('FILE_NOT_FOUND', '文件不存在或已被删除');
    return entry.tempFileURL;
  }

  async bytes(fileID: string): Promise<Buffer> {
    try {
      return (await this.cloud.downloadFile({ fileID })).fileContent;
    } catch {
      throw new DomainError('FILE_NOT_FOUND', '文件不存在或已被删除');
    }
  }

  async register(owner: string, fileID: string, name: string): Promise<StoredFile> {
    const existing = await this.describe(fileID);
    if (existing) {
      if (existing.owner !== owner) throw new DomainError('FILE_FORBIDDEN', '这个文件不是您上传的，不能使用');
      return existing;
    }
    await this.temporaryUrl(fileID); // proves the file exists in this environment's storage
    const doc: FileDoc = {
      _id: idOf(fileID),
      _openid: owner,
      fileID,
      owner,
      contentType: /\.png$/i.test(fileID) ? 'image/png' : /\.pdf$/i.test(fileID) ? 'application/pdf' : 'image/jpeg',
      size: 0,
      sha256: '',
      name: name.slice(0, 120),
      uploadedAt: this.clock.now().toISOString(),
    };
    try {
      await this.store.collection<FileDoc>('files').insert(doc);
    } catch (error) {
      if (error instanceof StoreError && error.code === 'DUPLICATE_KEY') return this.register(owner, fileID, name);
      throw error;
    }
    return doc;
  }
}
