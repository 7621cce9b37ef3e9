/** What the photo pipeline hands between its platform faces (see compress.*.ts, localFiles.*.ts). */

/** A photo ready to upload: compressed (or kept as it was when already small). */
export interface CompressedPhoto {
  /** A temporary path (mini-program) or an object URL (H5). */
  filePath: string;
  width: number;
  height: number;
  bytes: number;
  contentType: 'image/jpeg' | string;
  /** False when even the last step of the ladder stayed above 400 KB (uploaded anyway). */
  withinTarget: boolean;
  /** Encodings tried (0 when the original was kept). */
  attempts: number;
}

/** Copies of chosen photos that survive closing the app, so a queued upload can resume. */
export interface LocalFiles {
  /** Keeps the file at `filePath` for the photo `localId`; returns its durable path. */
  keep(localId: string, filePath: string): Promise<string>;
  /** A path the upload (and an <Image>) can read now, or null when the file is gone. */
  open(durablePath: string): Promise<string | null>;
  discard(durablePath: string): void;
}
