/**
 * Mini-program face of a file the server made: written to the user's data folder, then opened
 * (spreadsheets, with the menu to forward or save them) or, for what WeChat cannot open (CSV, JSON),
 * offered to send to a chat (文件传输助手) where a computer can take it.
 */
import Taro from '@tarojs/taro';
import type { DownloadedFile } from '../core/contracts/payments';
import { CloudError } from './cloud';

const openable = ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf'] as const;
type OpenableType = (typeof openable)[number];

const failed = (message: string): CloudError => new CloudError({ code: 'FILE_SAVE_FAILED', message });

export async function saveFile(file: DownloadedFile): Promise<void> {
  await writeAndOpen(file.fileName, file.base64, 'base64');
}

/** Text made on the device (the audit JSON), saved as a file and offered to a chat. */
export async function saveText(fileName: string, _contentType: string, text: string): Promise<void> {
  await writeAndOpen(fileName, text, 'utf8');
}

/** The mini-program cannot print: the page offers the JSON file instead. */
export const printPage: (() => void) | null = null;

async function writeAndOpen(fileName: string, data: string, encoding: 'base64' | 'utf8'): Promise<void> {
  const filePath = `${Taro.env.USER_DATA_PATH ?? 'wxfile://usr'}/${fileName}`;
  await new Promise<void>((resolve, reject) => {
    Taro.getFileSystemManager().writeFile({
      filePath,
      data,
      encoding,
      success: () => resolve(),
      fail: () => reject(failed('文件没能保存到手机上，请检查存储空间后再试')),
    });
  });
  const extension = fileName.split('.').pop()?.toLowerCase() ?? '';
  if ((openable as readonly string[]).includes(extension)) {
    await Taro.openDocument({ filePath, fileType: extension as OpenableType, showMenu: true }).catch(() => {
      throw failed('文件已生成，但手机上没能打开，请稍后再试');
    });
    return;
  }
  await Taro.shareFileMessage({ filePath, fileName }).catch(() => {
    throw failed('文件已生成，但没能发送到聊天，请再试一次');
  });
}
