/**
 * Synthetic receipts with their ground truth, for the OCR tests and `npm run bench`.
 *
 * Three layouts modelled on real ones: 医疗门诊收费票据（电子）, 医疗住院收费票据（电子） (both with a
 * 财政 verification QR on some of them) and 电子发票（普通发票） with the VAT comma-form QR. Drawn as SVG
 * with a Chinese font from Debian (WenQuanYi Micro Hei, `scripts/ensure-system-deps.sh`), rendered
 * by sharp, then degraded like a phone photo: paper on a table, turned ±5°, uneven light, blur,
 * noise, JPEG. Everything follows from the seed: the same seed gives the same bytes.
 */
import QRCode from 'qrcode';
import sharp from 'sharp';
import type { Fen } from '../../src/core/money';
import { fenToChineseUppercase } from '../../src/core/receipt/chineseAmount';

export type Layout = 'outpatient' | 'inpatient' | 'invoice';
/** 医保类别 as the engine names it: 甲 A, 乙 B, 丙/自费 C. */
export type ItemCategory = 'A' | 'B' | 'C';

export interface TruthItem {
  name: string;
  fen: Fen;
  /** Printed in 费用明细 tables (数量 × 单价 = 金额). */
  quantity?: number;
  unitPriceFen?: Fen;
  /** Printed as 甲/乙/丙 or derived from a printed 自付比例 (0 % 甲, 100 % 丙, between 乙). */
  category?: ItemCategory;
}

export interface GroundTruth {
  layout: Layout;
  title: string;
  code: string;
  number: string;
  checkCode: string;
  issueDate: string;
  payer: string;
  hospital: string;
  outpatientNo?: string;
  inpatientNo?: string;
  admissionDate?: string;
  dischargeDate?: string;
  items: TruthItem[];
  /** What the 小写 says (differs from `totalFen` only when `misprintFigures` was asked for). */
  totalFiguresFen: Fen;
  /** The true total: the 大写 and the sum of the items. */
  totalFen: Fen;
  /** The QR payload printed on the receipt, if any. */
  qr?: string;
}

export interface Degradation {
  /** Degrees, + is clockwise. */
  rotation: number;
  blur: number;
  /** Standard deviation of the added noise, in grey levels. */
  noise: number;
  jpegQuality: number;
  /** 0..1: how much darker the darkest corner is. */
  shade: number;
}

export interface GeneratedReceipt {
  seed: number;
  truth: GroundTruth;
  image: Buffer;
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  degradation: Degradation | null;
}

export interface GenerateOptions {
  layout?: Layout;
  /** Photo-like degradation (default true). */
  degrade?: boolean;
  format?: 'jpeg' | 'png';
  /** Long side of the output image in px (default 2000, like a compressed phone photo). */
  longSide?: number;
  /** Print a 小写 that disagrees with the 大写 (to test that it is flagged). */
  misprintFigures?: boolean;
  /** Force a QR code on (or off) for 门诊/住院; invoices always have one. */
  qr?: boolean;
  /** Print this 开票日期 ('YYYY-MM-DD') instead of the seed's 2024 date (e.g. a recent one, inside a filing deadline). Everything else still follows from the seed. */
  issueDate?: string;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

export type Random = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rnd: Random, min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));
export const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
export const digits = (rnd: Random, n: number): string =>
  Array.from({ length: n }, () => String(int(rnd, 0, 9))).join('');
export const pad = (n: number): string => String(n).padStart(2, '0');

export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
];
export const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '桂兰',
  '建华',
  '小红',
  '志强',
  '海燕',
  '文博',
];
const CITIES = [
  '杭州市',
  '宁波市',
  '温州市',
  '广州市',
  '深圳市',
  '南京市',
  '苏州市',
  '成都市',
  '武汉市',
  '西安市',
  '长沙市',
  '济南市',
];
export const HOSPITALS = [
  '第一人民医院',
  '中医院',
  '妇幼保健院',
  '第二人民医院',
  '中心医院',
  '儿童医院',
  '口腔医院',
  '人民医院',
  '红十字会医院',
  '中西医结合医院',
];
const PROVINCES = ['浙江省', '广东省', '江苏省', '四川省', '湖北省', '陕西省', '湖南省', '山东省'];
export const OUTPATIENT_ITEMS = [
  '西药费',
  '中成药费',
  '中草药费',
  '检查费',
  '化验费',
  '治疗费',
  '诊察费',
  '卫生材料费',
  '挂号费',
  '其他费',
];
const INPATIENT_ITEMS = [
  '床位费',
  '护理费',
  '西药费',
  '检查费',
  '化验费',
  '治疗费',
  '手术费',
  '卫生材料费',
  '诊察费',
  '中成药费',
  '麻醉费',
];
const INVOICE_ITEMS = ['医疗服务费', '门诊诊疗费', '体检服务费', '药品费', '检验费'];
export const CHECK_CHARS = '0123456789abcdefghijkmnpqrstuvwxyz';

function date(rnd: Random, year = 2024): { y: number; m: number; d: number } {
  return { y: year, m: int(rnd, 1, 12), d: int(rnd, 1, 28) };
}
const iso = (x: { y: number; m: number; d: number }): string => `${x.y}-${pad(x.m)}-${pad(x.d)}`;

function amounts(
  rnd: Random,
  names: readonly string[],
  count: number,
  min: number,
  max: number,
): Array<{ name: string; fen: Fen }> {
  const chosen = [...names].sort(() => rnd() - 0.5).slice(0, count);
  return chosen.map((name) => ({ name, fen: int(rnd, min, max) }));
}

/** The ground truth of one receipt, from the seed alone. */
export function makeTruth(seed: number, options: GenerateOptions = {}): GroundTruth {
  const rnd = seeded(seed * 7919 + 17);
  const layout: Layout = options.layout ?? pick(rnd, ['outpatient', 'outpatient', 'inpatient', 'invoice'] as const);
  const province = pick(rnd, PROVINCES);
  const hospital = `${pick(rnd, CITIES)}${pick(rnd, HOSPITALS)}`;
  const payer = `${pick(rnd, SURNAMES)}${pick(rnd, GIVEN)}`;
  const seededDate = date(rnd);
  const override = options.issueDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.issueDate) : null;
  const issued = override ? { y: Number(override[1]), m: Number(override[2]), d: Number(override[3]) } : seededDate;
  const check = Array.from({ length: 6 }, () => pick(rnd, [...CHECK_CHARS])).join('');
  const wantQr = options.qr ?? rnd() < 0.5;
  if (layout === 'invoice') {
    const items = amounts(rnd, INVOICE_ITEMS, int(rnd, 1, 2), 2000, 120000);
    const total = items.reduce((s, i) => s + i.fen, 0);
    const code = `0${digits(rnd, 11)}`;
    const number = digits(rnd, 8);
    const checkCode = digits(rnd, 20);
    const qrYuan = `${Math.floor(total / 100)}.${pad(total % 100)}`;
    return {
      layout,
      title: `${province.replace('省', '')}增值税电子普通发票`,
      code,
      number,
      checkCode,
      issueDate: iso(issued),
      payer,
      hospital,
      items,
      totalFen: total,
      totalFiguresFen: options.misprintFigures ? total + 900 : total,
      qr: `01,10,${code},${number},${qrYuan},${iso(issued).replace(/-/g, '')},${checkCode},${digits(rnd, 4)},`,
    };
  }
  const inpatient = layout === 'inpatient';
  const items = inpatient
    ? amounts(rnd, INPATIENT_ITEMS, int(rnd, 4, 8), 5000, 600000)
    : amounts(rnd, OUTPATIENT_ITEMS, int(rnd, 2, 6), 100, 80000);
  const total = items.reduce((s, i) => s + i.fen, 0);
  const code = `${digits(rnd, 2)}0601${digits(rnd, 2)}`;
  const number = digits(rnd, 10);
  const truth: GroundTruth = {
    layout,
    title: `${province}医疗${inpatient ? '住院' : '门诊'}收费票据(电子)`,
    code,
    number,
    checkCode: check,
    issueDate: iso(issued),
    payer,
    hospital,
    items,
    totalFen: total,
    totalFiguresFen: options.misprintFigures ? total + 900 : total,
  };
  addVisit(truth, inpatient, issued, rnd);
  if (wantQr) {
    truth.qr = `https://pjcy.czt.example.gov.cn/billcheck?billBatchCode=${code}&billNo=${number}&random=${check}&total=${Math.floor(total / 100)}.${pad(total % 100)}&issueDate=${iso(issued).replace(/-/g, '')}`;
  }
  return truth;
}

/** 住院号 and the stay ending on the issue date (住院), or the 门诊号 (门诊), drawn from `rnd`. */
export function addVisit(
  truth: GroundTruth,
  inpatient: boolean,
  issued: { y: number; m: number; d: number },
  rnd: Random,
): void {
  if (inpatient) {
    const stay = int(rnd, 2, 20);
    const discharge = new Date(Date.UTC(issued.y, issued.m - 1, issued.d));
    const admission = new Date(discharge.getTime() - stay * 86_400_000);
    truth.inpatientNo = `ZY${digits(rnd, 8)}`;
    truth.admissionDate = admission.toISOString().slice(0, 10);
    truth.dischargeDate = discharge.toISOString().slice(0, 10);
  } else {
    truth.outpatientNo = `MZ${digits(rnd, 10)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Drawing

export const FONT = 'font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"';
export const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const yuanText = (fen: Fen): string => `${Math.floor(fen / 100)}.${pad(fen % 100)}`;
export const groupedYuan = (fen: Fen): string =>
  `${String(Math.floor(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${pad(fen % 100)}`;

export function text(x: number, y: number, content: string, size = 26, extra = ''): string {
  const fill = /fill=/.test(extra) ? '' : 'fill="#1a1a1a"';
  return `<text x="${x}" y="${y}" ${FONT} font-size="${size}" ${fill} ${extra}>${escapeXml(content)}</text>`;
}

export function qrSvg(payload: string, x: number, y: number, size: number): string {
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / (n + 8);
  let path = '';
  for (let r = 0; r < n; r += 1) {
    for (let c = 0; c < n; c += 1) {
      if (qr.modules.get(r, c))
        path += `M${(x + (c + 4) * cell).toFixed(2)} ${(y + (r + 4) * cell).toFixed(2)}h${cell.toFixed(2)}v${cell.toFixed(2)}h-${cell.toFixed(2)}z`;
    }
  }
  return `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/>`;
}

/** Intermediate images: no compression, they never leave the process. */
export const FAST_PNG = { compressionLevel: 0 } as const;

export const PAPER_WIDTH = 1600;
export const PAPER_HEIGHT = 1000;

/** The receipt as SVG, paper only (PAPER_WIDTH × PAPER_HEIGHT). */
export function receiptSvg(truth: GroundTruth): string {
  const parts: string[] = [];
  const W = PAPER_WIDTH;
  parts.push(`<rect width="${W}" height="${PAPER_HEIGHT}" fill="#fbfaf6"/>`);
  parts.push(text(W / 2, 80, truth.title, 44, 'text-anchor="middle" fill="#8b1a1a"'));
  if (truth.qr) parts.push(qrSvg(truth.qr, 40, 20, 170));
  if (truth.layout === 'invoice') {
    parts.push(text(1120, 140, `发票代码:${truth.code}`));
    parts.push(text(1120, 180, `发票号码:${truth.number}`));
    parts.push(
      text(
        1120,
        220,
        `开票日期:${truth.issueDate.slice(0, 4)}年${truth.issueDate.slice(5, 7)}月${truth.issueDate.slice(8, 10)}日`,
      ),
    );
    parts.push(text(1120, 260, `校验码:${truth.checkCode.replace(/(\d{5})(?=\d)/g, '$1 ')}`, 22));
    parts.push(text(80, 320, `购买方名称:${truth.payer}`));
    parts.push(`<line x1="60" y1="350" x2="${W - 60}" y2="350" stroke="#8b1a1a" stroke-width="2"/>`);
    parts.push(text(100, 390, '项目名称'), text(700, 390, '金额'), text(950, 390, '税率'), text(1200, 390, '税额'));
    truth.items.forEach((item, i) => {
      const y = 440 + i * 48;
      parts.push(
        text(100, y, `*医疗服务*${item.name}`),
        text(700, y, yuanText(item.fen)),
        text(950, y, '免税'),
        text(1200, y, '***'),
      );
    });
    parts.push(`<line x1="60" y1="600" x2="${W - 60}" y2="600" stroke="#8b1a1a" stroke-width="2"/>`);
    parts.push(text(80, 650, `价税合计(大写) ${fenToChineseUppercase(truth.totalFen)}`, 28));
    parts.push(text(1050, 650, `(小写)¥${yuanText(truth.totalFiguresFen)}`, 28));
    parts.push(text(80, 740, `销售方名称:${truth.hospital}`));
    parts.push(text(80, 800, '备注:'));
    parts.push(text(80, 900, '收款人:管理员'), text(600, 900, '复核:管理员'), text(1100, 900, '开票人:系统'));
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${PAPER_HEIGHT}">${parts.join('')}</svg>`;
  }
  // 医疗收费票据（电子）
  parts.push(text(240, 150, `票据代码:${truth.code}`));
  parts.push(text(700, 150, '交款人统一社会信用代码:'));
  parts.push(text(1180, 150, `票据号码:${truth.number}`));
  parts.push(text(240, 200, `交款人:${truth.payer}`));
  parts.push(text(700, 200, `校验码:${truth.checkCode}`));
  parts.push(text(1180, 200, `开票日期:${truth.issueDate}`));
  const tableTop = 240;
  const rowH = 46;
  const rows = Math.ceil(truth.items.length / 2);
  const tableBottom = tableTop + rowH * (rows + 1);
  parts.push(
    `<rect x="60" y="${tableTop}" width="${W - 120}" height="${tableBottom - tableTop}" fill="none" stroke="#8b1a1a" stroke-width="2"/>`,
  );
  parts.push(
    `<line x1="${W / 2}" y1="${tableTop}" x2="${W / 2}" y2="${tableBottom}" stroke="#8b1a1a" stroke-width="2"/>`,
  );
  for (let r = 1; r <= rows; r += 1)
    parts.push(
      `<line x1="60" y1="${tableTop + r * rowH}" x2="${W - 60}" y2="${tableTop + r * rowH}" stroke="#8b1a1a" stroke-width="1"/>`,
    );
  parts.push(
    text(100, tableTop + 32, '项目名称'),
    text(420, tableTop + 32, '金额(元)'),
    text(620, tableTop + 32, '备注'),
  );
  parts.push(
    text(W / 2 + 40, tableTop + 32, '项目名称'),
    text(W / 2 + 360, tableTop + 32, '金额(元)'),
    text(W / 2 + 560, tableTop + 32, '备注'),
  );
  truth.items.forEach((item, i) => {
    const col = i % 2;
    const row = Math.floor(i / 2);
    const x = col === 0 ? 100 : W / 2 + 40;
    const y = tableTop + rowH * (row + 1) + 32;
    parts.push(text(x, y, item.name), text(x + 320, y, groupedYuan(item.fen)));
  });
  const sumY = tableBottom + 50;
  parts.push(text(80, sumY, `金额合计(大写) ${fenToChineseUppercase(truth.totalFen)}`, 28));
  parts.push(text(1100, sumY, `(小写) ${yuanText(truth.totalFiguresFen)}`, 28));
  const infoY = sumY + 60;
  if (truth.layout === 'inpatient') {
    parts.push(text(80, infoY, `住院号:${truth.inpatientNo ?? ''}`));
    parts.push(text(520, infoY, `入院日期:${truth.admissionDate ?? ''}`));
    parts.push(text(1000, infoY, `出院日期:${truth.dischargeDate ?? ''}`));
  } else {
    parts.push(text(80, infoY, `门诊号:${truth.outpatientNo ?? ''}`));
    parts.push(text(520, infoY, `就诊日期:${truth.issueDate}`));
    parts.push(text(1000, infoY, '医保类型:职工基本医疗保险'));
  }
  parts.push(
    text(80, infoY + 50, `医保统筹基金支付:0.00`),
    text(520, infoY + 50, `个人账户支付:0.00`),
    text(1000, infoY + 50, `个人现金支付:${yuanText(truth.totalFen)}`),
  );
  parts.push(text(80, PAPER_HEIGHT - 60, `收款单位(章):${truth.hospital}`));
  parts.push(text(900, PAPER_HEIGHT - 60, '复核人:赵敏'), text(1200, PAPER_HEIGHT - 60, '收款人:钱丽'));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${PAPER_HEIGHT}">${parts.join('')}</svg>`;
}

// ---------------------------------------------------------------------------------------------
// Photo-like degradation

export function makeDegradation(seed: number): Degradation {
  const rnd = seeded(seed * 104729 + 3);
  return {
    rotation: Math.round((rnd() * 10 - 5) * 10) / 10,
    blur: Math.round((0.3 + rnd() * 0.9) * 100) / 100,
    noise: Math.round(4 + rnd() * 10),
    jpegQuality: int(rnd, 55, 88),
    shade: Math.round((0.1 + rnd() * 0.3) * 100) / 100,
  };
}

export const NOISE_TILE = 509;

/**
 * Zero-mean noise as a raw greyscale tile, from the seed (sum of three uniforms ≈ normal), tiled over
 * the photo: a whole-photo layer costs seconds under jest's VM; a prime-sized tile shows no pattern.
 */
export function noiseTile(sigma: number, seed: number): Buffer {
  const rnd = seeded(seed * 31 + 11);
  const data = Buffer.alloc(NOISE_TILE * NOISE_TILE);
  for (let i = 0; i < data.length; i += 1) {
    const n = (rnd() + rnd() + rnd() - 1.5) * 2 * sigma;
    data[i] = Math.max(0, Math.min(255, Math.round(128 + n)));
  }
  return data;
}

/** Generates one receipt: truth, drawing, and (by default) a phone-photo version of it. */
export async function generateReceipt(seed: number, options: GenerateOptions = {}): Promise<GeneratedReceipt> {
  const truth = makeTruth(seed, options);
  const format = options.format ?? 'jpeg';
  const longSide = options.longSide ?? 2000;
  const paper = await sharp(Buffer.from(receiptSvg(truth)))
    .png(FAST_PNG)
    .toBuffer();
  if (options.degrade === false) {
    const pipeline = sharp(paper).resize({ width: longSide, height: longSide, fit: 'inside' });
    const image = format === 'png' ? await pipeline.png().toBuffer() : await pipeline.jpeg({ quality: 92 }).toBuffer();
    const meta = await sharp(image).metadata();
    return { seed, truth, image, format, width: meta.width ?? 0, height: meta.height ?? 0, degradation: null };
  }
  const d = makeDegradation(seed);
  // Paper on a darker table, with a margin, turned.
  const margin = 120;
  const tableW = PAPER_WIDTH + margin * 2;
  const tableH = PAPER_HEIGHT + margin * 2;
  const table = { r: 96, g: 84, b: 72 };
  const onTable = await sharp({ create: { width: tableW, height: tableH, channels: 3, background: table } })
    .composite([{ input: paper, left: margin, top: margin }])
    .png(FAST_PNG)
    .toBuffer();
  const turned = await sharp(onTable).rotate(d.rotation, { background: table }).png(FAST_PNG).toBuffer();
  const meta = await sharp(turned).metadata();
  const width = meta.width ?? tableW;
  const height = meta.height ?? tableH;
  // Uneven light: a gradient from a lit corner to a shaded one, multiplied in.
  const dark = Math.round(255 * (1 - d.shade));
  const light = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><radialGradient id="g" cx="${seeded(seed)() > 0.5 ? '20%' : '80%'}" cy="15%" r="110%"><stop offset="0%" stop-color="#fff"/><stop offset="100%" stop-color="rgb(${dark},${dark},${dark - 8})"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`;
  const noise = noiseTile(d.noise, seed);
  const photo = sharp(turned)
    .composite([
      { input: Buffer.from(light), blend: 'multiply' },
      { input: noise, raw: { width: NOISE_TILE, height: NOISE_TILE, channels: 1 }, tile: true, blend: 'overlay' },
    ])
    .blur(d.blur)
    .resize({ width: longSide, height: longSide, fit: 'inside' });
  const image =
    format === 'png' ? await photo.png().toBuffer() : await photo.jpeg({ quality: d.jpegQuality }).toBuffer();
  const out = await sharp(image).metadata();
  return { seed, truth, image, format, width: out.width ?? 0, height: out.height ?? 0, degradation: d };
}
