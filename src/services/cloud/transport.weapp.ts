/** Mini-program face of the cloud: WeChat cloud functions and cloud storage. */
import Taro from '@tarojs/taro';
import { describeCallFailure } from './callFailure';
import { CloudError, networkError, type CloudTransport, type FunctionEnvelope, type UploadedFile } from './types';

interface UploadTask {
  onProgressUpdate(callback: (event: { progress: number }) => void): void;
}

/**
 * wx.cloud.uploadFile returns its UploadTask (the only way to follow progress) only when given
 * callbacks; without them it returns a promise and no task.
 */
function uploadWithProgress(
  cloudPath: string,
  filePath: string,
  onProgress?: (percent: number) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const task = Taro.cloud.uploadFile({
      cloudPath,
      filePath,
      success: (result: { fileID: string }) => resolve(result.fileID),
      fail: (error: unknown) => reject(error),
    } as Parameters<typeof Taro.cloud.uploadFile>[0]) as unknown as UploadTask | undefined;
    task?.onProgressUpdate?.((event) => onProgress?.(event.progress));
  });
}

export const transport: CloudTransport = {
  init() {
    Taro.cloud.init({ env: process.env.TARO_APP_CLOUD_ENV, traceUser: true });
  },

  async callFunction(name, request) {
    try {
      const response = await Taro.cloud.callFunction({ name, data: { ...request } });
      return response.result as FunctionEnvelope;
    } catch (error) {
      throw describeCallFailure(error);
    }
  },

  async uploadFile(filePath, name, _contentType, onProgress): Promise<UploadedFile> {
    const extension = /\.([a-z0-9]{2,4})$/i.exec(filePath)?.[1]?.toLowerCase() ?? 'jpg';
    const cloudPath = `uploads/${Date.now()}-${Math.random().toString(36).slice(2, 10)}.${extension}`;
    let fileID: string;
    try {
      fileID = await uploadWithProgress(cloudPath, filePath, onProgress);
    } catch {
      throw networkError();
    }
    // The function checks the bytes and records the owner (the caller) when it first sees the fileID.
    const registered = await transport.callFunction('files', { action: 'register', payload: { fileID, name } });
    if (!registered.ok) throw new CloudError(registered.error);
    const size = (registered.data as { size?: unknown } | null)?.size;
    return { fileID, size: typeof size === 'number' ? size : 0 };
  },

  async temporaryUrl(fileID) {
    const result = await Taro.cloud.getTempFileURL({ fileList: [fileID] });
    const url = result.fileList[0]?.tempFileURL;
    if (!url) throw new CloudError({ code: 'NOT_FOUND', message: '文件不存在或已过期' });
    return url;
  },
};
