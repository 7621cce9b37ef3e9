/**
 * What an uploaded file really is, from its first bytes — never from the name or the content type the
 * client declared. Photos of materials are JPEG, PNG, WebP or HEIC/HEIF (an iPhone's own format);
 * PDF is recognised separately, because it is a document, not a photo: it is accepted only where the
 * caller says an electronic invoice (电子票据) is expected (`allowPdf`). Anything else — a script
 * labelled image/jpeg, HTML as PNG, a ZIP as WebP — is refused with a stable code.
 *
 * Each format is checked by its signature and the structure right behind it (JPEG's second marker,
 * PNG's IHDR chunk, WebP's VP8 chunk, HEIF's ftyp brands), so a text file that merely starts with a
 * magic number is not taken for a photo. Pure: Uint8Array in, no Node or platform imports.
 */

export const photoContentTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'] as const;
export type PhotoContentType = (typeof photoContentTypes)[number];
export type SniffedContentType = PhotoContentType | 'application/pdf';

/** The file name extension a stored file gets for its sniffed type. */
export const extensionOfType: Record<SniffedContentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'application/pdf': 'pdf',
};

const ascii = (bytes: Uint8Array, start: number, length: number): string => {
  let text = '';
  for (let index = start; index < start + length && index < bytes.length; index += 1)
    text += String.fromCharCode(bytes[index]!);
  return text;
};

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

/** SOI (FF D8) followed by a marker: FF then a marker byte (APPn, DQT, SOF, DHT, COM, …), never 00 or FF. */
/** SOF0–SOF15 (frame headers), not DHT (C4), JPG (C8) or DAC (CC). */
const isFrameMarker = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/**
 * SOI, then marker segments whose lengths stay inside the file, through a frame header (SOFn) of non-zero width and
 * height, up to the start of scan (SOS). Before, only the marker after SOI was looked at, and 4 bytes of JPEG then
 * text passed for a photo.
 */
function isJpeg(bytes: Uint8Array): boolean {
  return jpegLayout(bytes) !== null;
}

/** Where the JPEG's first scan starts (just past its SOS header) and its frame's size; null when the bytes are no JPEG (see isJpeg). */
function jpegLayout(bytes: Uint8Array): { scanStart: number; width: number; height: number } | null {
  if (!startsWith(bytes, [0xff, 0xd8])) return null;
  let offset = 2;
  let frame: { width: number; height: number } | null = null;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    let marker = bytes[offset + 1]!;
    while (marker === 0xff && offset + 5 <= bytes.length) marker = bytes[++offset + 1]!; // fill bytes
    if (marker < 0xc0 || marker === 0xd8 || marker === 0xd9 || (marker >= 0xd0 && marker <= 0xd7)) return null;
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (length < 2 || offset + 2 + length > bytes.length) return null;
    if (isFrameMarker(marker)) {
      if (length < 8) return null;
      const height = (bytes[offset + 5]! << 8) | bytes[offset + 6]!;
      const width = (bytes[offset + 7]! << 8) | bytes[offset + 8]!;
      if (height === 0 || width === 0) return null;
      frame ??= { width, height };
    }
    if (marker === 0xda) return frame ? { scanStart: offset + 2 + length, ...frame } : null;
    offset += 2 + length;
  }
  return null;
}

/** The 8-byte signature, then the first chunk: 13 bytes of IHDR. */
function isPng(bytes: Uint8Array): boolean {
  return (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) &&
    startsWith(bytes, [0, 0, 0, 13], 8) &&
    ascii(bytes, 12, 4) === 'IHDR'
  );
}

/** RIFF <size> WEBP, then a VP8 / VP8L / VP8X chunk. */
function isWebp(bytes: Uint8Array): boolean {
  return (
    ascii(bytes, 0, 4) === 'RIFF' &&
    ascii(bytes, 8, 4) === 'WEBP' &&
    ['VP8 ', 'VP8L', 'VP8X'].includes(ascii(bytes, 12, 4))
  );
}

const HEIC_BRANDS: ReadonlySet<string> = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const HEIF_BRANDS: ReadonlySet<string> = new Set(['mif1', 'msf1']);

/** ISO base media: <size> 'ftyp' <major brand> <minor version> <compatible brands…>; HEVC brands → HEIC, plain mif1/msf1 → HEIF (not AVIF). */
function heifType(bytes: Uint8Array): 'image/heic' | 'image/heif' | null {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp') return null;
  const boxSize = ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
  if (boxSize < 16 || boxSize > 4096 || boxSize % 4 !== 0) return null;
  const brands = [ascii(bytes, 8, 4)];
  for (let offset = 16; offset + 4 <= Math.min(boxSize, bytes.length); offset += 4)
    brands.push(ascii(bytes, offset, 4));
  if (brands.some((brand) => HEIC_BRANDS.has(brand))) return 'image/heic';
  if (brands.some((brand) => brand === 'avif' || brand === 'avis')) return null;
  return brands.some((brand) => HEIF_BRANDS.has(brand)) ? 'image/heif' : null;
}

/** "%PDF-1.x": the header a PDF reader insists on (we accept it only at the very start). */
function isPdf(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 5) === '%PDF-' && bytes.length >= 8 && /^\d\.\d$/.test(ascii(bytes, 5, 3));
}

/** What the bytes are, or null when they are none of the formats we take. */
export function sniffFileType(bytes: Uint8Array): SniffedContentType | null {
  if (isJpeg(bytes)) return 'image/jpeg';
  if (isPng(bytes)) return 'image/png';
  if (isWebp(bytes)) return 'image/webp';
  const heif = heifType(bytes);
  if (heif) return heif;
  if (isPdf(bytes)) return 'application/pdf';
  return null;
}

export function isPhotoType(type: string): type is PhotoContentType {
  return (photoContentTypes as readonly string[]).includes(type);
}

/**
 * A JPEG whose scan reaches its end (EOI, FF D9, after the first scan starts). Inside the scan a byte FF is always
 * followed by 00 or a restart marker, so the first FF D9 past the scan's start is the picture's end; one earlier, in
 * the EXIF thumbnail of an APP1 segment, does not count. Data after EOI (a phone's trailer) is allowed. A probe stored
 * the first half of a photo, which then failed to be read as a receipt.
 */
export function isWholeJpeg(bytes: Uint8Array): boolean {
  const scan = jpegLayout(bytes)?.scanStart ?? -1;
  if (scan < 0) return false;
  for (let index = scan; index + 1 < bytes.length; index += 1)
    if (bytes[index] === 0xff && bytes[index + 1] === 0xd9) return true;
  return false;
}

const uint32 = (bytes: Uint8Array, at: number): number =>
  ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
const uint24le = (bytes: Uint8Array, at: number): number => bytes[at]! + (bytes[at + 1]! << 8) + (bytes[at + 2]! << 16);

/**
 * A photo's width and height in pixels from its header (JPEG's frame, PNG's IHDR, WebP's VP8 / VP8L / VP8X), or null
 * when the header does not say (HEIC, whose size sits in an item property box, is not read).
 */
export function photoSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (isPng(bytes) && bytes.length >= 24) return { width: uint32(bytes, 16), height: uint32(bytes, 20) };
  if (isWebp(bytes) && bytes.length >= 30) {
    const chunk = ascii(bytes, 12, 4);
    if (chunk === 'VP8X') return { width: uint24le(bytes, 24) + 1, height: uint24le(bytes, 27) + 1 };
    if (chunk === 'VP8L' && bytes[20] === 0x2f) {
      const bits = bytes[21]! + (bytes[22]! << 8) + (bytes[23]! << 16) + ((bytes[24]! << 24) >>> 0);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8 ')
      return { width: (bytes[26]! | (bytes[27]! << 8)) & 0x3fff, height: (bytes[28]! | (bytes[29]! << 8)) & 0x3fff };
    return null;
  }
  const jpeg = jpegLayout(bytes);
  return jpeg ? { width: jpeg.width, height: jpeg.height } : null;
}

/**
 * The most pixels a photo may have: what the receipt reader decodes (sharp's limit, 16,383 × 16,383). A larger one was
 * stored and filed, and then could never be read (a probe's 20,000 × 20,000 PNG of 76 KB). A 200-megapixel phone
 * camera's photo is within it.
 */
export const MAX_PHOTO_PIXELS = 16_383 * 16_383;

export type UploadRefusalCode = 'EMPTY_FILE' | 'UNSUPPORTED_FILE_TYPE' | 'INCOMPLETE_PHOTO' | 'PHOTO_TOO_LARGE';

export type UploadCheck =
  | { ok: true; contentType: SniffedContentType; extension: string }
  | { ok: false; code: UploadRefusalCode; message: string };

export const UNSUPPORTED_FILE_MESSAGE =
  '只能上传照片（JPG、PNG、WebP 或 HEIC 格式）。这个文件不是照片，请用相机拍摄或从相册选择票据照片后重新上传。';
export const PDF_NOT_EXPECTED_MESSAGE =
  '这里需要照片，不能上传 PDF 文件。电子发票请在手机上截图，或打印后拍照上传（JPG、PNG 格式）。';

export const INCOMPLETE_PHOTO_MESSAGE = '这张照片不完整（可能没有传完或文件已损坏），请重新拍摄或重新选择后上传。';

export interface UploadCheckOptions {
  /** An electronic invoice is expected here: a PDF is accepted too. */
  allowPdf?: boolean;
}

/** The verdict on an upload's bytes: the content type to store (from the bytes), or the refusal to show. */
export function checkUploadBytes(bytes: Uint8Array, options: UploadCheckOptions = {}): UploadCheck {
  if (bytes.length === 0) return { ok: false, code: 'EMPTY_FILE', message: '文件是空的，请重新选择' };
  const type = sniffFileType(bytes);
  if (!type) return { ok: false, code: 'UNSUPPORTED_FILE_TYPE', message: UNSUPPORTED_FILE_MESSAGE };
  if (type === 'application/pdf' && !options.allowPdf)
    return { ok: false, code: 'UNSUPPORTED_FILE_TYPE', message: PDF_NOT_EXPECTED_MESSAGE };
  if (type === 'image/jpeg' && !isWholeJpeg(bytes))
    return { ok: false, code: 'INCOMPLETE_PHOTO', message: INCOMPLETE_PHOTO_MESSAGE };
  const size = photoSize(bytes);
  if (size && size.width * size.height > MAX_PHOTO_PIXELS)
    return {
      ok: false,
      code: 'PHOTO_TOO_LARGE',
      message: `这张图片太大（${size.width} × ${size.height} 像素），无法识别。请用手机相机直接拍摄票据（不要用拼接的长图或超大扫描件）后重新上传。`,
    };
  return { ok: true, contentType: type, extension: extensionOfType[type] };
}
