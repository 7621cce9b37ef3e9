import fc from 'fast-check';
import sharp from 'sharp';
import {
  checkUploadBytes,
  INCOMPLETE_PHOTO_MESSAGE,
  isWholeJpeg,
  MAX_PHOTO_PIXELS,
  PDF_NOT_EXPECTED_MESSAGE,
  photoSize,
  sniffFileType,
  UNSUPPORTED_FILE_MESSAGE,
} from './fileType';

const image = () => sharp({ create: { width: 24, height: 16, channels: 3, background: '#abc' } });
const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

/** An iPhone photo's first box: ftyp heic, minor 0, compatible mif1 heic. */
const heicHeader = bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic', [0, 0, 0, 0x22], 'meta');
const heifHeader = bytes([0, 0, 0, 0x10], 'ftypmif1', [0, 0, 0, 0], [0, 0, 0, 0x22], 'meta');

describe('sniffFileType', () => {
  it('recognises real JPEG, PNG and WebP bytes', async () => {
    expect(sniffFileType(await image().jpeg().toBuffer())).toBe('image/jpeg');
    expect(sniffFileType(await image().png().toBuffer())).toBe('image/png');
    expect(sniffFileType(await image().webp().toBuffer())).toBe('image/webp');
    expect(sniffFileType(await image().webp({ lossless: true }).toBuffer())).toBe('image/webp');
  });

  it('recognises HEIC and HEIF by their ftyp brands, and refuses AVIF (same container, other codec)', async () => {
    expect(sniffFileType(heicHeader)).toBe('image/heic');
    expect(sniffFileType(bytes([0, 0, 0, 0x14], 'ftypmif1', [0, 0, 0, 0], 'heix'))).toBe('image/heic');
    expect(sniffFileType(heifHeader)).toBe('image/heif');
    expect(sniffFileType(await image().avif().toBuffer())).toBeNull();
  });

  it('recognises a PDF by its header', () => {
    expect(sniffFileType(bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj'))).toBe('application/pdf');
    expect(sniffFileType(bytes('%PDF-x'))).toBeNull();
  });

  it.each([
    ['a shell script', bytes('#!/bin/sh\nrm -rf /\n')],
    ['HTML', bytes('<!doctype html><script>alert(1)</script>')],
    ['a ZIP archive', bytes('PK\x03\x04\x14\x00\x00\x00\x08\x00', [1, 2, 3, 4, 5, 6, 7, 8])],
    ['a GIF', bytes('GIF89a', [1, 0, 1, 0, 0x80, 0, 0])],
    ['a BMP', bytes('BM', [0x3a, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0])],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"></svg>')],
    ['JPEG magic then text', bytes([0xff, 0xd8, 0xff], '\n#!/bin/sh\n')],
    ['JPEG magic then a fill byte only', bytes([0xff, 0xd8, 0xff, 0xff])],
    // An APP0 marker, then text (its "length" runs past the end): before, any 4 bytes of JPEG passed as a photo.
    [
      'JPEG SOI and APP0, then text',
      bytes([0xff, 0xd8, 0xff, 0xe0], 'this is not a photo at all, only words typed by hand'),
    ],
    ['PNG signature then no IHDR', bytes([0x89], 'PNG\r\n\x1a\n', 'echo hello world')],
    ['RIFF WEBP with no VP8 chunk', bytes('RIFF', [0x20, 0, 0, 0], 'WEBPjunkjunkjunk')],
    ['a WAV (RIFF but not WebP)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ', [16, 0, 0, 0])],
    ['an MP4 (ftyp, video brands)', bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0], 'isomiso2')],
    ['an ftyp box with an absurd size', bytes([0x7f, 0, 0, 0], 'ftypheic', [0, 0, 0, 0])],
    ['three bytes', bytes([0xff, 0xd8, 0xff])],
    ['nothing', bytes()],
  ])('refuses %s', (_name, data) => {
    expect(sniffFileType(data)).toBeNull();
  });

  it('random bytes are almost never taken for a photo (property)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (data) => {
        if (sniffFileType(data) !== null) accepted += 1;
      }),
      { numRuns: 5000, seed: 42 },
    );
    // A random first byte is 0xff (JPEG) 1/256 of the time, and then D8 FF must follow: ≈ 0 in 5000.
    expect(accepted).toBeLessThanOrEqual(1);
  });

  it('PNG and WebP are recognised from their first 32 bytes; a JPEG from its headers through the start of scan', async () => {
    for (const data of [await image().png().toBuffer(), await image().webp().toBuffer()]) {
      expect(sniffFileType(data.subarray(0, 32))).toBe(sniffFileType(data));
    }
    const jpeg = await image().jpeg().toBuffer();
    const scan = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    expect(sniffFileType(jpeg)).toBe('image/jpeg');
    const scanHeader = 2 + ((jpeg[scan + 2]! << 8) | jpeg[scan + 3]!);
    expect(sniffFileType(jpeg.subarray(0, scan + scanHeader))).toBe('image/jpeg');
    // Cut before the start of scan, or before the frame header: no photo.
    expect(sniffFileType(jpeg.subarray(0, scan + 2))).toBeNull();
    const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    expect(frame).toBeGreaterThan(0);
    expect(sniffFileType(jpeg.subarray(0, frame + 4))).toBeNull();
    // A frame of zero width.
    const zeroWidth = Buffer.from(jpeg);
    zeroWidth[frame + 7] = 0;
    zeroWidth[frame + 8] = 0;
    expect(sniffFileType(zeroWidth)).toBeNull();
    // EXIF of a phone photo (APP1) and fill bytes before a marker are read through.
    const withExif = await image()
      .jpeg()
      .withMetadata({ exif: { IFD0: { Make: 'Phone', Model: 'X' } } })
      .toBuffer();
    expect(sniffFileType(withExif)).toBe('image/jpeg');
    for (const kind of [
      image().jpeg({ progressive: true }),
      image().jpeg({ mozjpeg: true }),
      image().grayscale().jpeg(),
      image().toColourspace('cmyk').jpeg(),
      image().jpeg({ quality: 100, chromaSubsampling: '4:4:4' }),
    ])
      expect(sniffFileType(await kind.toBuffer())).toBe('image/jpeg');
    const filled = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xff]), jpeg.subarray(2)]);
    expect(sniffFileType(filled)).toBe('image/jpeg');
  });
});

describe('checkUploadBytes', () => {
  it('stores the type of the bytes, with its extension', async () => {
    expect(checkUploadBytes(await image().png().toBuffer())).toEqual({
      ok: true,
      contentType: 'image/png',
      extension: 'png',
    });
    expect(checkUploadBytes(heicHeader)).toEqual({ ok: true, contentType: 'image/heic', extension: 'heic' });
  });

  it('refuses what is not a photo with UNSUPPORTED_FILE_TYPE and says what to do', () => {
    expect(checkUploadBytes(bytes('#!/bin/sh\n'))).toEqual({
      ok: false,
      code: 'UNSUPPORTED_FILE_TYPE',
      message: UNSUPPORTED_FILE_MESSAGE,
    });
    expect(checkUploadBytes(bytes())).toMatchObject({ ok: false, code: 'EMPTY_FILE' });
  });

  it('refuses a JPEG cut short (its scan never reaches EOI) with INCOMPLETE_PHOTO and says what to do', async () => {
    const photo = await sharp({
      create: {
        width: 400,
        height: 300,
        channels: 3,
        background: '#fff',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .composite([{ input: await image().png().toBuffer(), left: 10, top: 10 }])
      .withMetadata({ exif: { IFD0: { Make: 'Phone' } } })
      .jpeg()
      .toBuffer();
    expect(checkUploadBytes(photo)).toMatchObject({ ok: true, contentType: 'image/jpeg' });
    // The first half, as a probe stored it: a JPEG by its headers, but not whole.
    const half = photo.subarray(0, Math.floor(photo.length / 2));
    expect(sniffFileType(half)).toBe('image/jpeg');
    expect(checkUploadBytes(half)).toEqual({ ok: false, code: 'INCOMPLETE_PHOTO', message: INCOMPLETE_PHOTO_MESSAGE });
    // Cut by the last two bytes (EOI itself): refused too; data after EOI (a phone's trailer) is fine.
    expect(isWholeJpeg(photo.subarray(0, photo.length - 2))).toBe(false);
    expect(isWholeJpeg(Buffer.concat([photo, Buffer.from('trailer of a motion photo')]))).toBe(true);
    // An FF D9 before the scan (the end of an EXIF thumbnail in APP1) does not make a cut photo whole.
    const scan = photo.indexOf(Buffer.from([0xff, 0xda]));
    const withThumbnailEnd = Buffer.concat([
      photo.subarray(0, 2),
      Buffer.from([0xff, 0xe1, 0x00, 0x06, 0xff, 0xd9, 0x00, 0x00]),
      photo.subarray(2, scan + 40),
    ]);
    expect(sniffFileType(withThumbnailEnd)).toBe('image/jpeg');
    expect(isWholeJpeg(withThumbnailEnd)).toBe(false);
    // Every kind of JPEG the sniffer takes, whole.
    for (const kind of [
      image().jpeg({ progressive: true }),
      image().jpeg({ mozjpeg: true }),
      image().grayscale().jpeg(),
    ])
      expect(isWholeJpeg(await kind.toBuffer())).toBe(true);
  });

  it("reads a photo's size from its header, as the image library does, for every format and kind it takes", async () => {
    const base = () => sharp({ create: { width: 1234, height: 567, channels: 3, background: '#abc' } });
    for (const made of [
      base().png(),
      base().jpeg(),
      base().jpeg({ progressive: true }),
      base().webp(),
      base().webp({ lossless: true }),
      base()
        .webp({ alpha: 0 } as never)
        .ensureAlpha(0.5),
    ]) {
      const photo = await made.toBuffer();
      const { width, height } = await sharp(photo).metadata();
      expect(photoSize(photo)).toEqual({ width, height });
    }
    expect(photoSize(heicHeader)).toBeNull();
  });

  it('refuses a photo too large for the receipt reader (a probe: a 20,000 × 20,000 PNG of 76 KB, stored and never read)', () => {
    // A PNG's signature and IHDR: 20,000 × 20,000, 1 bit, greyscale.
    const header = (width: number, height: number): Uint8Array => {
      const ihdr = Buffer.alloc(33);
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(ihdr, 0);
      ihdr.writeUInt32BE(13, 8);
      ihdr.write('IHDR', 12, 'latin1');
      ihdr.writeUInt32BE(width, 16);
      ihdr.writeUInt32BE(height, 20);
      ihdr[24] = 1;
      return ihdr;
    };
    expect(checkUploadBytes(header(20_000, 20_000))).toEqual({
      ok: false,
      code: 'PHOTO_TOO_LARGE',
      message:
        '这张图片太大（20000 × 20000 像素），无法识别。请用手机相机直接拍摄票据（不要用拼接的长图或超大扫描件）后重新上传。',
    });
    expect(checkUploadBytes(header(16_383, 16_383))).toMatchObject({ ok: true });
    expect(16_384 * 16_383).toBeGreaterThan(MAX_PHOTO_PIXELS);
    expect(checkUploadBytes(header(16_384, 16_383))).toMatchObject({ ok: false, code: 'PHOTO_TOO_LARGE' });
    // A 200-megapixel phone camera's photo is taken.
    expect(checkUploadBytes(header(16_320, 12_240))).toMatchObject({ ok: true });
  });

  it('takes a PDF only where an electronic invoice is expected', () => {
    const pdf = bytes('%PDF-1.4\n1 0 obj');
    expect(checkUploadBytes(pdf)).toEqual({
      ok: false,
      code: 'UNSUPPORTED_FILE_TYPE',
      message: PDF_NOT_EXPECTED_MESSAGE,
    });
    expect(checkUploadBytes(pdf, { allowPdf: true })).toEqual({
      ok: true,
      contentType: 'application/pdf',
      extension: 'pdf',
    });
  });
});
