/**
 * The photos of one claim draft: compress → keep a durable copy → queue → upload, resumed after the
 * app is closed. Binds the pure queue runner (./runner) to Taro storage, services/cloud and the
 * platform faces of compression and local files. One uploader per draft: `photoUploader(draftId)`.
 */
import Taro from '@tarojs/taro';
import type { UploadItem, UploadQueue } from '../../core/uploadQueue';
import { newRequestId, uploadFile } from '../cloud';
import type { ChosenPhoto } from './choose';
import { compressPhoto } from './compress';
import { localFiles } from './localFiles';
import { UploadRunner } from './runner';

export const storageKeyOf = (draftId: string): string => `photos.queue.${draftId}`;

export interface AddedPhoto {
  localId: string;
  width: number;
  height: number;
  bytes: number;
  withinTarget: boolean;
}

export class PhotoUploader {
  private readonly runner: UploadRunner;

  constructor(private readonly draftId: string) {
    const key = storageKeyOf(draftId);
    this.runner = new UploadRunner({
      load: () => Taro.getStorageSync(key) as unknown,
      save: (text) => Taro.setStorageSync(key, text),
      upload: (filePath, name, contentType, onProgress) => uploadFile(filePath, name, contentType, onProgress),
      open: (path) => localFiles.open(path),
      discard: (path) => localFiles.discard(path),
      now: () => Date.now(),
      random: () => Math.random(),
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    });
    this.runner.start();
  }

  get queue(): UploadQueue {
    return this.runner.snapshot;
  }

  /** Called on every change (state, progress); returns the unsubscribe function. */
  subscribe(listener: (queue: UploadQueue) => void): () => void {
    return this.runner.subscribe(listener);
  }

  /** The fileIDs the claim may reference for a material: finished uploads only. */
  completedFileIds(materialId: string): string[] {
    return this.runner.completedFileIds(materialId);
  }

  /**
   * Compresses the chosen photos one by one (a 12-megapixel decode is ~48 MB: never several at
   * once on a phone), keeps each and queues it. `onAdded` fires per photo so the page shows it at once.
   */
  async addPhotos(
    materialId: string,
    photos: readonly ChosenPhoto[],
    onAdded?: (photo: AddedPhoto) => void,
  ): Promise<AddedPhoto[]> {
    const added: AddedPhoto[] = [];
    for (const chosen of photos) {
      const compressed = await compressPhoto(chosen.filePath, chosen.bytes);
      const localId = newRequestId();
      const durablePath = await localFiles.keep(localId, compressed.filePath);
      this.runner.add({
        localId,
        materialId,
        filePath: durablePath,
        name: `${materialId}-${localId}.jpg`,
        contentType: compressed.contentType,
      });
      const photo: AddedPhoto = {
        localId,
        width: compressed.width,
        height: compressed.height,
        bytes: compressed.bytes,
        withinTarget: compressed.withinTarget,
      };
      added.push(photo);
      onAdded?.(photo);
    }
    return added;
  }

  /**
   * Photos the server draft holds (taken on another device) join this device's queue as finished
   * uploads, shown from the cloud: resuming a draft keeps its photos and the next save names them.
   */
  restoreUploaded(materials: Readonly<Record<string, readonly string[] | undefined>>): void {
    this.runner.restore(
      Object.entries(materials).flatMap(([materialId, fileIDs]) =>
        (fileIDs ?? []).map((fileID) => ({ localId: newRequestId(), materialId, fileID })),
      ),
    );
  }

  /** A path an <Image> can show for a photo (the local copy), or null when there is none. */
  previewPath(item: UploadItem): Promise<string | null> {
    return item.filePath ? localFiles.open(item.filePath) : Promise.resolve(null);
  }

  retry(localId: string): void {
    this.runner.retry(localId);
  }

  remove(localId: string): void {
    this.runner.remove(localId);
  }

  /** The draft was submitted or abandoned: forget its photos on the device. */
  clear(): void {
    this.runner.stop();
    for (const item of this.runner.snapshot.items) if (item.filePath) localFiles.discard(item.filePath);
    Taro.removeStorageSync(storageKeyOf(this.draftId));
    uploaders.delete(this.draftId);
  }
}

const uploaders = new Map<string, PhotoUploader>();

/** The uploader of a draft, created (and resumed from storage) on first use. */
export function photoUploader(draftId: string): PhotoUploader {
  let uploader = uploaders.get(draftId);
  if (!uploader) {
    uploader = new PhotoUploader(draftId);
    uploaders.set(draftId, uploader);
  }
  return uploader;
}
