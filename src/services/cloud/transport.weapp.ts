/** Mini-program face of the cloud: WeChat cloud functions and cloud storage. */
import Taro from '@tarojs/taro';
import { CloudError, networkError, type CloudTransport, type FunctionEnvelope } from './types';

export const transport: CloudTransport = {
  init() {
    Taro.cloud.init({ env: process.env.TARO_APP_CLOUD_ENV, traceUser: true });
  },

  async callFunction(name, request) {
    try {
      const response = await Taro.cloud.callFunction({ name, data: { ...request } });
      return response.result as FunctionEnvelope;
    } catch {
      throw networkError();
    }
  },

  async uploadFile(filePath, name, _contentType, onProgress) {
    const extension = /\.([a-z0-9]{2,4})$/i.exec(filePath)?.[1]?.toLowerCase() ?? 'jpg';
    const cloudPath = `uploads/${Date.now()}-${Math.random().toString(36).slice(2, 10)}.${extension}`;
    try {
      const task = Taro.cloud.uploadFile({ cloudPath, filePath });
      const progressTask = task as unknown as { onProgressUpdate?: (cb: (event: { progress: number }) => void) => void };
      progressTask.onProgressUpdate?.((event) => onProgress?.(event.progress));
      const result = await task;
      // The function records the owner of the file (the caller) when it first sees the fileID.
      const registered = await transport.callFunction('files', { action: 'register', payload: { fileID: result.fileID, name } });
      if (!registered.ok) throw new CloudError(registered.error);
      return { fileID: result.fileID, size: 0 };
    } catch (error) {
      if (error instanceof CloudError) throw error;
      throw networkError();
    }
  },

  async temporaryUrl(fileID) {
    const result = await Taro.cloud.getTempFileURL({ fileList: [fileID] });
    const url = result.fileList[0]?.tempFileURL;
    if (!url) throw new CloudError({ code: 'NOT_FOUND', message: '文件不存在或已过期' });
    return url;
  },
};
