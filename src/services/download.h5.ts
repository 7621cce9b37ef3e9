/**
 * H5 face of a file the server made (bank file, statistics CSV) or the page made (audit JSON): a
 * Blob downloaded under its own name; printing is the browser's.
 */
import type { DownloadedFile } from '../core/contracts/payments';

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function saveFile(file: DownloadedFile): Promise<void> {
  download(new Blob([bytesOf(file.base64)], { type: file.contentType }), file.fileName);
}

/** Text made on the device (the audit JSON), saved as a file. */
export async function saveText(fileName: string, contentType: string, text: string): Promise<void> {
  download(new Blob([text], { type: contentType }), fileName);
}

/** The browser's print dialog (the page's print styles hide the buttons). */
export const printPage: (() => void) | null = () => window.print();
