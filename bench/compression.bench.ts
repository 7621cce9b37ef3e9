/**
 * Compression figure (issue 4, 拍照/上传): a 4000×3000 photo of a receipt, compressed with sharp
 * following src/core/photoSizing exactly (the same `runLadder` decisions the app makes with
 * Taro.compressImage or a canvas). Prints sizes, dimensions, time, and the time as a ratio to a
 * baseline measured in the same process: sharp decoding the same 4000×3000 JPEG.
 * Also the share of expected words the receipt OCR (server/ocr/paddle.ts) still reads.
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { DEFAULT_SIZING, type Attempt, runLadder } from '../src/core/photoSizing';
import { recognise } from '../server/ocr/paddle';

const WIDTH = 4000;
const HEIGHT = 3000;

/** Words printed on the receipt that an OCR should find again after compression. */
export const RECEIPT_WORDS = [
  '医疗门诊收费票据',
  '北京市朝阳区人民医院',
  '张三',
  '西药费',
  '检查费',
  '治疗费',
  '化验费',
  '合计',
  '386.50',
  '128.00',
  '95.00',
  '42.30',
  '651.80',
  '个人自付',
  '医保统筹支付',
  '收款人',
];

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A receipt on paper, lying slightly turned on a darker table, as a phone would see it. */
function receiptSvg(): string {
  const font = 'font-family="WenQuanYi Micro Hei"';
  const rows: [string, string, string][] = [
    ['西药费', '甲类', '386.50'],
    ['检查费', '乙类', '128.00'],
    ['治疗费', '甲类', '95.00'],
    ['化验费', '甲类', '42.30'],
  ];
  const lines: string[] = [];
  const text = (x: number, y: number, size: number, value: string, extra = ''): void => {
    const fill = extra.includes('fill=') ? '' : 'fill="#1a1a1a"';
    lines.push(`<text x="${x}" y="${y}" font-size="${size}" ${font} ${fill} ${extra}>${escapeXml(value)}</text>`);
  };
  text(1250, 430, 110, '医疗门诊收费票据', 'font-weight="bold"');
  text(620, 620, 64, '票据代码：11010121  票据号码：0048213576');
  text(620, 720, 64, '交款人：张三    性别：男    医保类型：职工基本医疗保险');
  text(620, 820, 64, '收款单位：北京市朝阳区人民医院    开票日期：2025-03-14');
  lines.push('<line x1="600" y1="880" x2="3400" y2="880" stroke="#333" stroke-width="4"/>');
  text(620, 980, 64, '项目名称');
  text(1700, 980, 64, '类别');
  text(2700, 980, 64, '金额（元）');
  rows.forEach(([name, category, amount], index) => {
    const y = 1100 + index * 120;
    text(620, y, 64, name);
    text(1700, y, 64, category);
    text(2700, y, 64, amount);
  });
  lines.push('<line x1="600" y1="1640" x2="3400" y2="1640" stroke="#333" stroke-width="4"/>');
  text(620, 1760, 72, '合计（大写）：陆佰伍拾壹元捌角    合计：651.80', 'font-weight="bold"');
  text(620, 1880, 60, '医保统筹支付：412.36    个人账户支付：0.00    个人自付：239.44');
  text(620, 1980, 48, '备注：本票据仅作报销凭证，请妥善保管。小字说明：丙类项目不予报销。');
  text(2500, 2200, 60, '收款人：李四');
  lines.push('<circle cx="3000" cy="2050" r="170" fill="none" stroke="#c0392b" stroke-width="12" opacity="0.75"/>');
  text(2880, 2070, 48, '收费专用章', 'fill="#c0392b" opacity="0.8"');

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
  <defs><linearGradient id="table" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6b5a48"/><stop offset="1" stop-color="#3e3226"/></linearGradient>
  <linearGradient id="light" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#ffffff" stop-opacity="0"/><stop offset="1" stop-color="#000000" stop-opacity="0.12"/></linearGradient></defs>
  <rect width="${WIDTH}" height="${HEIGHT}" fill="url(#table)"/>
  <g transform="rotate(-1.5 2000 1500)">
    <rect x="480" y="180" width="3040" height="2280" fill="#f6f3ea"/>
    ${lines.join('\n    ')}
    <rect x="480" y="180" width="3040" height="2280" fill="url(#light)"/>
  </g>
</svg>`;
}

/**
 * Renders the receipt, softens it like a lens, and adds sensor noise (`grain` 0.35 for daylight,
 * about 1 for a dim room); returns a camera-like JPEG.
 */
export async function makeReceiptPhoto(grain = 0.35): Promise<Buffer> {
  const rendered = await sharp(Buffer.from(receiptSvg())).blur(1.2).raw().toBuffer({ resolveWithObject: true });
  const noise = await sharp({
    create: {
      width: WIDTH,
      height: HEIGHT,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  })
    .raw()
    .toBuffer();
  const { data, info } = rendered;
  const pixels = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let i = 0, j = 0; i < WIDTH * HEIGHT; i += 1, j += info.channels) {
    for (let c = 0; c < 3; c += 1) {
      const value = (data[j + c] ?? 0) + ((noise[i * 3 + c] ?? 128) - 128) * grain;
      pixels[i * 3 + c] = value < 0 ? 0 : value > 255 ? 255 : value;
    }
  }
  // Phones save at high quality: the original weighs several MB, like a real 12-megapixel shot.
  return sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** What the app does on the phone, done with sharp: the same ladder, the same decisions. */
export async function compressLikeTheApp(input: Buffer) {
  const meta = await sharp(input).metadata();
  return runLadder(
    { width: meta.width ?? 0, height: meta.height ?? 0, bytes: input.length, format: meta.format },
    async (attempt: Attempt) => {
      const { data, info } = await sharp(input)
        .resize(attempt.width, attempt.height, { fit: 'fill', kernel: 'lanczos3' })
        .jpeg({ quality: Math.round(attempt.quality * 100) })
        .toBuffer({ resolveWithObject: true });
      return { output: data, bytes: data.length, width: info.width, height: info.height };
    },
  );
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

async function median(times: number, task: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await task();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? 0;
}

/** The receipt OCR of server/ocr (PaddleOCR, the process-wide model): the text it reads from a photo. */
async function readText(image: Buffer): Promise<string> {
  return (await recognise(image)).map((line) => line.text).join('\n');
}

async function measure(label: string, grain: number): Promise<{ original: Buffer; compressed: Buffer | null }> {
  let started = performance.now();
  const original = await makeReceiptPhoto(grain);
  const makeMs = performance.now() - started;
  console.log(
    `${label}: ${WIDTH}×${HEIGHT} receipt (SVG + Chinese text + noise ${grain}), JPEG q92: ${kb(original.length)} (generated in ${makeMs.toFixed(0)} ms)`,
  );

  const baselineMs = await median(5, () => sharp(original).raw().toBuffer());
  started = performance.now();
  const outcome = await compressLikeTheApp(original);
  const firstMs = performance.now() - started;
  const compressMs = await median(3, () => compressLikeTheApp(original));

  const steps = outcome.attempts.map((a) => `${Math.max(a.width, a.height)}px@${a.quality}→${kb(a.bytes)}`).join(', ');
  console.log(`  ladder (target ${kb(DEFAULT_SIZING.targetBytes)}): ${steps || 'original kept'}`);
  const outBytes = outcome.output?.length ?? original.length;
  console.log(
    `  compressed: ${outcome.width}×${outcome.height}, ${kb(outBytes)} (${((outBytes / original.length) * 100).toFixed(1)}% of the original), ` +
      `${outcome.withinTarget ? 'within' : 'OVER'} the target, ${outcome.attempts.length} encoding(s)`,
  );
  console.log(
    `  time: ${compressMs.toFixed(0)} ms median of 3 (first run ${firstMs.toFixed(0)} ms); baseline sharp decode of the same JPEG ${baselineMs.toFixed(0)} ms; ` +
      `ratio ${(compressMs / baselineMs).toFixed(2)}× the baseline`,
  );
  return { original, compressed: outcome.output };
}

export async function run(): Promise<void> {
  const daylight = await measure('daylight photo', 0.35);
  const dim = await measure('dim-room photo', 1);

  const ocr = readText;
  for (const [label, image] of [
    ['daylight original', daylight.original],
    ['daylight compressed', daylight.compressed],
    ['dim-room compressed', dim.compressed],
  ] as const) {
    if (!image) continue;
    const ocrStarted = performance.now();
    const text = (await ocr(image)).replace(/\s+/g, '');
    const found = RECEIPT_WORDS.filter((word) => text.includes(word));
    const missing = RECEIPT_WORDS.filter((word) => !text.includes(word));
    console.log(
      `OCR on the ${label}: ${found.length}/${RECEIPT_WORDS.length} expected words (${((found.length / RECEIPT_WORDS.length) * 100).toFixed(0)}%) in ` +
        `${(performance.now() - ocrStarted).toFixed(0)} ms${missing.length ? `; missing: ${missing.join(' ')}` : ''}`,
    );
  }
}
