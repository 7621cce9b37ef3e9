/**
 * Mini-program face of durable photo copies: a compressed photo is a temporary file that WeChat may
 * clean up once the app is closed, so it is saved (FileSystemManager.saveFile) until uploaded.
 */
import Taro from '@tarojs/taro';
import type { LocalFiles } from './types';

export const localFiles: LocalFiles = {
  keep(_localId, filePath) {
    return new Promise((resolve) => {
      Taro.getFileSystemManager().saveFile({
        tempFilePath: filePath,
        success: (result) => resolve(result.savedFilePath),
        // Storage full or the file already saved: upload from where it is (it may not survive a restart).
        fail: () => resolve(filePath),
      });
    });
  },

  open(durablePath) {
    return new Promise((resolve) => {
      Taro.getFileSystemManager().access({
        path: durablePath,
        success: () => resolve(durablePath),
        fail: () => resolve(null),
      });
    });
  },

  discard(durablePath) {
    Taro.getFileSystemManager().removeSavedFile({ filePath: durablePath, fail: () => undefined });
  },
};
