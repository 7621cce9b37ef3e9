/**
 * H5 face of a file the server made (bank file, statistics CSV, audit JSON): a Blob downloaded
 * under its own name.
 */
import type { DownloadedFile } from '../core/contracts/payments';

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export async function saveFile(file: DownloadedFile): Promise<void> {
  const url = URL.createObjectURL(new Blob([bytesOf(file.base64)], { type: file.contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
