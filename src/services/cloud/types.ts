import type { AppErrorShape, FieldIssue } from '../../core/errors';

export interface FunctionRequest {
  action: string;
  payload?: unknown;
  requestId?: string;
}

export type FunctionEnvelope = { ok: true; data: unknown } | { ok: false; error: AppErrorShape };

export interface UploadedFile {
  fileID: string;
  size: number;
}

/** What differs between the mini-program (Taro.cloud) and H5 (HTTP to the local server). */
export interface CloudTransport {
  init(): void;
  callFunction(name: string, request: FunctionRequest): Promise<FunctionEnvelope>;
  /** `filePath`: what chooseMedia/compressImage returned (a wxfile:// path, or a blob: URL in H5). */
  uploadFile(
    filePath: string,
    name: string,
    contentType: string,
    onProgress?: (percent: number) => void,
  ): Promise<UploadedFile>;
  temporaryUrl(fileID: string): Promise<string>;
}

/** Every failure of a cloud call, whatever its cause, reaches the pages in this one shape. */
export class CloudError extends Error implements AppErrorShape {
  readonly code: string;
  readonly issues?: FieldIssue[];

  constructor(shape: AppErrorShape) {
    super(shape.message);
    this.name = 'CloudError';
    this.code = shape.code;
    if (shape.issues) this.issues = shape.issues;
  }
}

export const networkError = (): CloudError =>
  new CloudError({ code: 'NETWORK', message: '网络不太好，请检查网络后重试' });
