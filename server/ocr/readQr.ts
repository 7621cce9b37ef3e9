/**
 * `Ports.readQr`: the text of a photo's QR code, null when there is none or the bytes are no image. sharp and jsQR are
 * loaded with the first photo, not with the server or the function.
 */
export async function readQr(image: Buffer, requester?: string): Promise<string | null> {
  const { decodeQr } = await import('./qrDecode');
  return (await decodeQr(image, requester === undefined ? {} : { requester }).catch(() => null))?.text ?? null;
}
