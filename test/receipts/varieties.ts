/**
 * The extended generated set (issue 16): receipts of other provinces and layouts, photographed the
 * way people do. Everything follows from the seed (`specOf(seed)`), like the classic generator:
 *
 * - layouts: the classic 门诊/住院 pairs grid, **two-column item grids** with 序号 and 医保类别
 *   (甲/乙/丙), **住院 费用明细 tables** (8–14 ruled rows: 项目名称 / 数量 / 单价 / 金额, with a 医保类别
 *   or 自付比例 column on some), e-invoices;
 * - provinces' wording (浙江/广东/北京/上海/四川/江苏 titles, 财政部监制 or the province's 财政厅),
 *   dates as 2026-07-21, 2026年7月21日 and 2026/07/21, amounts as ¥1,234.56, QR codes in URL form;
 * - a red 收费专用章 over the hospital name or over the total (ink multiplied in: print stays dark);
 * - photos: on a flat table turned ±5°, or **on a desk with 7–15° of perspective**; **shadows**,
 *   **dim rooms with grain**, **creases**, **1,200–1,500 px at JPEG quality 45–60**.
 *
 * The perspective is drawn with a real homography (src/core/receipt/geometry.ts) from a sheet
 * tilted in 3-D and seen through a pinhole camera.
 */
import sharp from 'sharp';
import { fenToChineseUppercase } from '../../src/core/receipt/chineseAmount';
import { homography, type Point, project } from '../../src/core/receipt/geometry';
import {
  addVisit,
  CHECK_CHARS,
  digits,
  escapeXml,
  FAST_PNG,
  FONT,
  GIVEN,
  type GeneratedReceipt,
  type GroundTruth,
  groupedYuan,
  HOSPITALS,
  int,
  type ItemCategory,
  type Layout,
  NOISE_TILE,
  noiseTile,
  OUTPATIENT_ITEMS,
  pad,
  pick,
  qrSvg,
  type Random,
  seeded,
  SURNAMES,
  text,
  type TruthItem,
  yuanText,
} from './generator';

export type TableStyle = 'pairs' | 'grid' | 'detail' | 'invoice';
export type Region = 'zhejiang' | 'guangdong' | 'beijing' | 'shanghai' | 'sichuan' | 'jiangsu';
export type DateStyle = 'iso' | 'cn' | 'slash';

export interface PhotoSpec {
  /** 'desk': a tilted sheet on a wooden desk (perspective); 'table': flat on a plain table, turned. */
  mode: 'table' | 'desk';
  /** Degrees the sheet is tilted away from the camera (0 on a table). */
  tilt: number;
  /** Degrees of sideways tilt (desk only). */
  yaw: number;
  /** Degrees the sheet is turned in the picture, + clockwise. */
  rotation: number;
  shadow: boolean;
  /** Brightness factor of a dim room (1 = daylight); dim rooms get heavy grain. */
  light: number;
  noise: number;
  blur: number;
  shade: number;
  crease: boolean;
  longSide: number;
  jpegQuality: number;
}

export interface ReceiptSpec {
  layout: Layout;
  table: TableStyle;
  region: Region;
  dateStyle: DateStyle;
  /** 小写 as ¥1,234.56 (else 1234.56). */
  yenGrouped: boolean;
  /** Columns beside the names in grids and 费用明细 tables. */
  serial: boolean;
  classColumn: 'none' | 'category' | 'ratio' | 'both';
  /** 数量 printed as 3.00 (else 3). */
  quantityDecimals: boolean;
  seal: 'none' | 'hospital' | 'total';
  qr: boolean;
  misprintFigures: boolean;
  photo: PhotoSpec;
}

export interface ExtendedReceipt extends GeneratedReceipt {
  spec: ReceiptSpec;
  /** What makes this receipt hard, e.g. ['detail', 'seal:hospital', 'perspective', 'dim']. */
  kinds: string[];
  /** Where the sheet's corners are on the photo (top-left, top-right, bottom-right, bottom-left), in its pixels. */
  corners: Point[];
}

const REGIONS: Record<Region, { province: string; cities: string[]; supervisor: string; electronic: boolean }> = {
  zhejiang: {
    province: '浙江省',
    cities: ['杭州市', '宁波市', '温州市', '绍兴市'],
    supervisor: '浙江省财政厅监制',
    electronic: true,
  },
  guangdong: {
    province: '广东省',
    cities: ['广州市', '深圳市', '佛山市', '东莞市'],
    supervisor: '财政部监制',
    electronic: false,
  },
  beijing: {
    province: '北京市',
    cities: ['北京市朝阳区', '北京市海淀区', '北京市丰台区'],
    supervisor: '北京市财政局监制',
    electronic: true,
  },
  shanghai: {
    province: '上海市',
    cities: ['上海市徐汇区', '上海市浦东新区', '上海市静安区'],
    supervisor: '上海市财政局监制',
    electronic: true,
  },
  sichuan: {
    province: '四川省',
    cities: ['成都市', '绵阳市', '德阳市', '乐山市'],
    supervisor: '财政部监制',
    electronic: true,
  },
  jiangsu: {
    province: '江苏省',
    cities: ['南京市', '苏州市', '无锡市', '常州市'],
    supervisor: '江苏省财政厅监制',
    electronic: false,
  },
};

/** 费用明细 entries: unique names, with the 医保类别 a list would give them. */
const DETAIL_ITEMS: Array<[string, ItemCategory[]]> = [
  ['床位费', ['A']],
  ['一级护理', ['A']],
  ['静脉输液', ['A']],
  ['血常规', ['A']],
  ['尿常规', ['A']],
  ['肝功能检测', ['A', 'B']],
  ['肾功能检测', ['A', 'B']],
  ['心电图', ['A']],
  ['胸部CT平扫', ['B']],
  ['彩色多普勒超声', ['B']],
  ['头孢呋辛钠注射液', ['A', 'B']],
  ['氯化钠注射液', ['A']],
  ['葡萄糖注射液', ['A']],
  ['阿莫西林胶囊', ['A']],
  ['布洛芬缓释胶囊', ['A', 'B']],
  ['奥美拉唑肠溶胶囊', ['B']],
  ['一次性输液器', ['B', 'C']],
  ['医用棉签', ['C']],
  ['住院诊查费', ['A']],
  ['换药', ['A']],
  ['雾化吸入', ['B']],
  ['吸氧', ['A']],
  ['氨溴索注射液', ['B']],
  ['复方丹参滴丸', ['B', 'C']],
  ['血糖监测', ['A']],
  ['人血白蛋白', ['C']],
  ['营养餐费', ['C']],
];
const GRID_ITEMS: Array<[string, ItemCategory[]]> = [
  ...OUTPATIENT_ITEMS.map((name): [string, ItemCategory[]] => [
    name,
    name === '其他费' ? ['C'] : name === '中草药费' ? ['B'] : ['A', 'B'],
  ]),
  ['床位费', ['A']],
  ['护理费', ['A']],
  ['手术费', ['A', 'B']],
  ['麻醉费', ['A']],
];
const CATEGORY_WORD: Record<ItemCategory, string> = { A: '甲', B: '乙', C: '丙' };

const weighted = <T>(rnd: Random, choices: ReadonlyArray<readonly [T, number]>): T => {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let x = rnd() * total;
  for (const [value, w] of choices) {
    x -= w;
    if (x < 0) return value;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
};

/** What a seed's receipt looks like and how it is photographed. */
export function specOf(seed: number, overrides: Partial<ReceiptSpec> = {}): ReceiptSpec {
  const rnd = seeded(seed * 15485863 + 101);
  const shape = weighted(rnd, [
    [['outpatient', 'pairs'], 2],
    [['outpatient', 'grid'], 3],
    [['inpatient', 'pairs'], 1],
    [['inpatient', 'detail'], 4],
    [['invoice', 'invoice'], 1],
  ] as const);
  const [layout, table] = shape;
  const desk = rnd() < 0.55;
  const dim = rnd() < 0.22;
  const lowres = rnd() < 0.35;
  const classColumn =
    table === 'detail'
      ? weighted(rnd, [
          ['none', 1],
          ['category', 2],
          ['ratio', 1],
          ['both', 1],
        ] as const)
      : table === 'grid'
        ? weighted(rnd, [
            ['none', 1],
            ['category', 3],
          ] as const)
        : 'none';
  const photo: PhotoSpec = {
    mode: desk ? 'desk' : 'table',
    tilt: desk ? Math.round((7 + rnd() * 8) * 10) / 10 : 0,
    yaw: desk ? Math.round((rnd() * 8 - 4) * 10) / 10 : 0,
    rotation: Math.round((rnd() * (desk ? 8 : 10) - (desk ? 4 : 5)) * 10) / 10,
    shadow: rnd() < 0.3,
    light: dim ? Math.round((0.3 + rnd() * 0.2) * 100) / 100 : 1,
    noise: dim ? Math.round(18 + rnd() * 10) : Math.round(4 + rnd() * 8),
    blur: Math.round((0.3 + rnd() * 0.6) * 100) / 100,
    shade: Math.round((0.1 + rnd() * 0.25) * 100) / 100,
    crease: rnd() < 0.25,
    longSide: lowres ? int(rnd, 1200, 1500) : int(rnd, 1800, 2000),
    jpegQuality: lowres ? int(rnd, 45, 60) : int(rnd, 60, 88),
  };
  const spec: ReceiptSpec = {
    layout,
    table,
    region: pick(rnd, Object.keys(REGIONS) as Region[]),
    dateStyle: pick(rnd, ['iso', 'cn', 'slash'] as const),
    yenGrouped: rnd() < 0.4,
    serial: table === 'detail' ? rnd() < 0.7 : table === 'grid' ? rnd() < 0.6 : false,
    classColumn,
    quantityDecimals: rnd() < 0.4,
    seal:
      layout === 'invoice'
        ? 'none'
        : weighted(rnd, [
            ['none', 6],
            ['hospital', 3],
            ['total', 2],
          ] as const),
    qr: layout === 'invoice' || rnd() < 0.5,
    misprintFigures: false,
    photo,
  };
  return { ...spec, ...overrides, photo: { ...photo, ...(overrides.photo ?? {}) } };
}

export function kindsOf(spec: ReceiptSpec): string[] {
  const kinds: string[] = [spec.table];
  if (spec.classColumn !== 'none') kinds.push(`class:${spec.classColumn}`);
  if (spec.seal !== 'none') kinds.push(`seal:${spec.seal}`);
  if (spec.photo.mode === 'desk') kinds.push('perspective');
  if (spec.photo.shadow) kinds.push('shadow');
  if (spec.photo.light < 1) kinds.push('dim');
  if (spec.photo.crease) kinds.push('crease');
  if (spec.photo.longSide <= 1500) kinds.push('lowres');
  kinds.push(`date:${spec.dateStyle}`);
  if (spec.yenGrouped) kinds.push('yen');
  if (spec.qr) kinds.push('qr');
  if (spec.misprintFigures) kinds.push('misprint');
  return kinds;
}

const isoOf = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`;

function printedDate(iso: string, style: DateStyle): string {
  const [y, m, d] = iso.split('-');
  if (style === 'cn') return `${y}年${Number(m)}月${Number(d)}日`;
  if (style === 'slash') return `${y}/${m}/${d}`;
  return iso;
}

function categoryOf(rnd: Random, allowed: ItemCategory[]): ItemCategory {
  return pick(rnd, allowed);
}

const SELF_PAY: Record<ItemCategory, number[]> = { A: [0], B: [5, 10, 15, 20, 30], C: [100] };

/** The ground truth of an extended receipt (the spec decides its layout). */
export function extendedTruth(seed: number, spec: ReceiptSpec): GroundTruth & { selfPay: number[] } {
  const rnd = seeded(seed * 7919 + 29);
  const region = REGIONS[spec.region];
  const hospital = `${pick(rnd, region.cities)}${pick(rnd, HOSPITALS)}`;
  const payer = `${pick(rnd, SURNAMES)}${pick(rnd, GIVEN)}`;
  const issued = { y: 2026, m: int(rnd, 1, 12), d: int(rnd, 1, 28) };
  const check = Array.from({ length: 6 }, () => pick(rnd, [...CHECK_CHARS])).join('');
  const selfPay: number[] = [];
  if (spec.layout === 'invoice') {
    const items = [...['医疗服务费', '门诊诊疗费', '体检服务费', '药品费', '检验费']]
      .sort(() => rnd() - 0.5)
      .slice(0, int(rnd, 1, 2))
      .map((name) => ({ name, fen: int(rnd, 2000, 120000) }));
    const total = items.reduce((s, i) => s + i.fen, 0);
    const code = `0${digits(rnd, 11)}`;
    const number = digits(rnd, 8);
    const checkCode = digits(rnd, 20);
    return {
      layout: 'invoice',
      title: `${region.province.replace(/[省市]$/, '')}增值税电子普通发票`,
      code,
      number,
      checkCode,
      issueDate: isoOf(issued.y, issued.m, issued.d),
      payer,
      hospital,
      items,
      totalFen: total,
      totalFiguresFen: spec.misprintFigures ? total + 900 : total,
      qr: `01,10,${code},${number},${yuanText(total)},${isoOf(issued.y, issued.m, issued.d).replace(/-/g, '')},${checkCode},${digits(rnd, 4)},`,
      selfPay,
    };
  }
  const inpatient = spec.layout === 'inpatient';
  let items: TruthItem[];
  const withClass = spec.classColumn !== 'none';
  if (spec.table === 'detail') {
    const chosen = [...DETAIL_ITEMS].sort(() => rnd() - 0.5).slice(0, int(rnd, 8, 14));
    items = chosen.map(([name, allowed]) => {
      const quantity = int(rnd, 1, name === '床位费' || name.endsWith('护理') ? 20 : 12);
      const unitPriceFen = weighted(rnd, [
        [int(rnd, 50, 3000), 2],
        [int(rnd, 3000, 40000), 2],
        [int(rnd, 40000, 120000), 1],
      ] as const);
      const category = categoryOf(rnd, allowed);
      selfPay.push(pick(rnd, SELF_PAY[category]));
      const item: TruthItem = { name, fen: quantity * unitPriceFen, quantity, unitPriceFen };
      if (withClass) item.category = category;
      return item;
    });
  } else if (spec.table === 'grid') {
    const chosen = [...GRID_ITEMS].sort(() => rnd() - 0.5).slice(0, int(rnd, 4, 10));
    items = chosen.map(([name, allowed]) => {
      const category = categoryOf(rnd, allowed);
      const item: TruthItem = { name, fen: int(rnd, 100, inpatient ? 600000 : 80000) };
      if (withClass) item.category = category;
      return item;
    });
  } else {
    const names = inpatient
      ? [
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
        ]
      : OUTPATIENT_ITEMS;
    items = [...names]
      .sort(() => rnd() - 0.5)
      .slice(0, inpatient ? int(rnd, 4, 8) : int(rnd, 2, 6))
      .map((name) => ({ name, fen: int(rnd, inpatient ? 5000 : 100, inpatient ? 600000 : 80000) }));
  }
  const total = items.reduce((s, i) => s + i.fen, 0);
  const code = `${digits(rnd, 2)}0601${digits(rnd, 2)}`;
  const number = digits(rnd, 10);
  const issueDate = isoOf(issued.y, issued.m, issued.d);
  const truth: GroundTruth & { selfPay: number[] } = {
    layout: spec.layout,
    title: `${region.province}医疗${inpatient ? '住院' : '门诊'}收费票据${region.electronic ? '(电子)' : ''}`,
    code,
    number,
    checkCode: check,
    issueDate,
    payer,
    hospital,
    items,
    totalFen: total,
    totalFiguresFen: spec.misprintFigures ? total + 900 : total,
    selfPay,
  };
  addVisit(truth, inpatient, issued, rnd);
  if (spec.qr) {
    truth.qr = `https://pjcy.czt.example.gov.cn/billcheck?billBatchCode=${code}&billNo=${number}&random=${check}&total=${yuanText(total)}&issueDate=${issueDate.replace(/-/g, '')}`;
  }
  return truth;
}

// ---------------------------------------------------------------------------------------------
// Drawing

const W = 1600;
const RULE = '#8b1a1a';
const hline = (x1: number, x2: number, y: number, width = 1): string =>
  `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" stroke="${RULE}" stroke-width="${width}"/>`;
const vline = (x: number, y1: number, y2: number, width = 1): string =>
  `<line x1="${x}" y1="${y1}" x2="${x}" y2="${y2}" stroke="${RULE}" stroke-width="${width}"/>`;
const right = (x: number, y: number, content: string, size = 26): string =>
  text(x, y, content, size, 'text-anchor="end"');
const centred = (x: number, y: number, content: string, size = 26): string =>
  text(x, y, content, size, 'text-anchor="middle"');

interface Drawn {
  svg: string;
  height: number;
  /** Where the seal goes: the centre of the text it covers. */
  hospitalAt: Point;
  totalAt: Point;
}

function quantityText(quantity: number, decimals: boolean): string {
  return decimals ? `${quantity}.00` : String(quantity);
}

/** A 费用明细 table; returns its parts and bottom. */
function detailTable(
  truth: GroundTruth,
  spec: ReceiptSpec,
  selfPay: number[],
  top: number,
): { parts: string[]; bottom: number } {
  const parts: string[] = [];
  const rowH = 44;
  const showCategory = spec.classColumn === 'category' || spec.classColumn === 'both';
  const showRatio = spec.classColumn === 'ratio' || spec.classColumn === 'both';
  // Column right edges / left edges, from the left margin.
  const cols: Array<{ key: string; label: string; left: number; right: number; align: 'start' | 'middle' | 'end' }> =
    [];
  let x = 60;
  const add = (key: string, label: string, width: number, align: 'start' | 'middle' | 'end'): void => {
    cols.push({ key, label, left: x, right: x + width, align });
    x += width;
  };
  if (spec.serial) add('serial', '序号', 80, 'middle');
  add('name', '项目名称', spec.serial ? 420 : 480, 'start');
  if (showCategory) add('category', '医保类别', 150, 'middle');
  add('quantity', '数量', 140, 'end');
  add('unit', '单价', 200, 'end');
  add('amount', '金额', 220, 'end');
  if (showRatio) add('ratio', '自付比例', 150, 'end');
  const end = 1540;
  const rows = truth.items.length;
  const bottom = top + rowH * (rows + 1);
  parts.push(
    `<rect x="60" y="${top}" width="${end - 60}" height="${bottom - top}" fill="none" stroke="${RULE}" stroke-width="2"/>`,
  );
  for (let r = 1; r <= rows; r += 1) parts.push(hline(60, end, top + r * rowH, r === 1 ? 2 : 1));
  for (const col of cols.slice(1)) parts.push(vline(col.left, top, bottom));
  const cell = (col: (typeof cols)[number], y: number, content: string): string =>
    col.align === 'start'
      ? text(col.left + 16, y, content)
      : col.align === 'end'
        ? right(col.right - 16, y, content)
        : centred((col.left + col.right) / 2, y, content);
  for (const col of cols) parts.push(centred((col.left + col.right) / 2, top + 31, col.label));
  truth.items.forEach((item, i) => {
    const y = top + rowH * (i + 1) + 31;
    for (const col of cols) {
      const value =
        col.key === 'serial'
          ? String(i + 1)
          : col.key === 'name'
            ? item.name
            : col.key === 'category'
              ? CATEGORY_WORD[item.category ?? 'A']
              : col.key === 'quantity'
                ? quantityText(item.quantity ?? 1, spec.quantityDecimals)
                : col.key === 'unit'
                  ? yuanText(item.unitPriceFen ?? item.fen)
                  : col.key === 'amount'
                    ? spec.yenGrouped
                      ? groupedYuan(item.fen)
                      : yuanText(item.fen)
                    : `${selfPay[i] ?? 0}%`;
      parts.push(cell(col, y, value));
    }
  });
  return { parts, bottom };
}

/** Two items per row: [序号] 项目名称 [类别] 金额 | [序号] 项目名称 [类别] 金额. */
function gridTable(truth: GroundTruth, spec: ReceiptSpec, top: number): { parts: string[]; bottom: number } {
  const parts: string[] = [];
  const rowH = 46;
  const rows = Math.ceil(truth.items.length / 2);
  const bottom = top + rowH * (rows + 1);
  const showCategory = spec.classColumn !== 'none';
  parts.push(
    `<rect x="60" y="${top}" width="${W - 120}" height="${bottom - top}" fill="none" stroke="${RULE}" stroke-width="2"/>`,
  );
  parts.push(vline(W / 2, top, bottom, 2));
  for (let r = 1; r <= rows; r += 1) parts.push(hline(60, W - 60, top + r * rowH));
  for (const half of [60, W / 2]) {
    const nameX = half + (spec.serial ? 90 : 30);
    const categoryX = half + 470;
    const amountRight = half + 720;
    if (spec.serial) parts.push(centred(half + 40, top + 32, '序号'), vline(half + 80, top, bottom));
    parts.push(text(nameX, top + 32, '项目名称'));
    if (showCategory)
      parts.push(
        centred(categoryX, top + 32, '类别'),
        vline(categoryX - 50, top, bottom),
        vline(categoryX + 50, top, bottom),
      );
    parts.push(right(amountRight, top + 32, '金额(元)'));
  }
  truth.items.forEach((item, i) => {
    const half = i % 2 === 0 ? 60 : W / 2;
    const y = top + rowH * (Math.floor(i / 2) + 1) + 32;
    if (spec.serial) parts.push(centred(half + 40, y, String(i + 1)));
    parts.push(text(half + (spec.serial ? 90 : 30), y, item.name));
    if (showCategory) parts.push(centred(half + 470, y, CATEGORY_WORD[item.category ?? 'A']));
    parts.push(right(half + 720, y, spec.yenGrouped ? groupedYuan(item.fen) : yuanText(item.fen)));
  });
  return { parts, bottom };
}

/** The classic two-column pairs table (as generator.ts draws it). */
function pairsTable(truth: GroundTruth, top: number): { parts: string[]; bottom: number } {
  const parts: string[] = [];
  const rowH = 46;
  const rows = Math.ceil(truth.items.length / 2);
  const bottom = top + rowH * (rows + 1);
  parts.push(
    `<rect x="60" y="${top}" width="${W - 120}" height="${bottom - top}" fill="none" stroke="${RULE}" stroke-width="2"/>`,
  );
  parts.push(vline(W / 2, top, bottom, 2));
  for (let r = 1; r <= rows; r += 1) parts.push(hline(60, W - 60, top + r * rowH));
  parts.push(text(100, top + 32, '项目名称'), text(420, top + 32, '金额(元)'), text(620, top + 32, '备注'));
  parts.push(
    text(W / 2 + 40, top + 32, '项目名称'),
    text(W / 2 + 360, top + 32, '金额(元)'),
    text(W / 2 + 560, top + 32, '备注'),
  );
  truth.items.forEach((item, i) => {
    const x = i % 2 === 0 ? 100 : W / 2 + 40;
    const y = top + rowH * (Math.floor(i / 2) + 1) + 32;
    parts.push(text(x, y, item.name), text(x + 320, y, groupedYuan(item.fen)));
  });
  return { parts, bottom };
}

function drawReceipt(truth: GroundTruth & { selfPay: number[] }, spec: ReceiptSpec): Drawn {
  const parts: string[] = [];
  const region = REGIONS[spec.region];
  parts.push(text(W / 2, 80, truth.title, 44, 'text-anchor="middle" fill="#8b1a1a"'));
  parts.push(text(W / 2, 118, region.supervisor, 20, 'text-anchor="middle" fill="#8b1a1a"'));
  if (truth.qr) parts.push(qrSvg(truth.qr, 40, 20, 170));
  const date = (iso: string): string => printedDate(iso, spec.dateStyle);
  const figures = spec.yenGrouped ? `¥${groupedYuan(truth.totalFiguresFen)}` : yuanText(truth.totalFiguresFen);
  if (truth.layout === 'invoice') {
    parts.push(text(1120, 150, `发票代码:${truth.code}`));
    parts.push(text(1120, 190, `发票号码:${truth.number}`));
    parts.push(text(1120, 230, `开票日期:${date(truth.issueDate)}`));
    parts.push(text(1120, 270, `校验码:${truth.checkCode.replace(/(\d{5})(?=\d)/g, '$1 ')}`, 22));
    parts.push(text(80, 320, `购买方名称:${truth.payer}`));
    parts.push(hline(60, W - 60, 350, 2));
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
    parts.push(hline(60, W - 60, 600, 2));
    parts.push(text(80, 650, `价税合计(大写) ${fenToChineseUppercase(truth.totalFen)}`, 28));
    parts.push(text(1050, 650, `(小写)${spec.yenGrouped ? figures : `¥${yuanText(truth.totalFiguresFen)}`}`, 28));
    parts.push(text(80, 740, `销售方名称:${truth.hospital}`));
    parts.push(text(80, 800, '备注:'));
    parts.push(text(80, 900, '收款人:管理员'), text(600, 900, '复核:管理员'), text(1100, 900, '开票人:系统'));
    return {
      svg: parts.join(''),
      height: 1000,
      hospitalAt: [80 + 6 * 26 + truth.hospital.length * 13, 731],
      totalAt: [1200, 641],
    };
  }
  parts.push(text(240, 160, `票据代码:${truth.code}`));
  parts.push(text(700, 160, '交款人统一社会信用代码:'));
  parts.push(text(1180, 160, `票据号码:${truth.number}`));
  parts.push(text(240, 205, `交款人:${truth.payer}`));
  parts.push(text(700, 205, `校验码:${truth.checkCode}`));
  parts.push(text(1180, 205, `开票日期:${date(truth.issueDate)}`));
  const top = 240;
  const table =
    spec.table === 'detail'
      ? detailTable(truth, spec, truth.selfPay, top)
      : spec.table === 'grid'
        ? gridTable(truth, spec, top)
        : pairsTable(truth, top);
  parts.push(...table.parts);
  const sumY = table.bottom + 50;
  const words = fenToChineseUppercase(truth.totalFen);
  parts.push(text(80, sumY, `金额合计(大写) ${words}`, 28));
  parts.push(text(1100, sumY, `(小写) ${figures}`, 28));
  const infoY = sumY + 60;
  if (truth.layout === 'inpatient') {
    parts.push(text(80, infoY, `住院号:${truth.inpatientNo ?? ''}`));
    parts.push(text(520, infoY, `入院日期:${date(truth.admissionDate ?? '')}`));
    parts.push(text(1000, infoY, `出院日期:${date(truth.dischargeDate ?? '')}`));
  } else {
    parts.push(text(80, infoY, `门诊号:${truth.outpatientNo ?? ''}`));
    parts.push(text(520, infoY, `就诊日期:${date(truth.issueDate)}`));
    parts.push(text(1000, infoY, '医保类型:职工基本医疗保险'));
  }
  parts.push(
    text(80, infoY + 50, '医保统筹基金支付:0.00'),
    text(520, infoY + 50, '个人账户支付:0.00'),
    text(1000, infoY + 50, `个人现金支付:${yuanText(truth.totalFen)}`),
  );
  const height = Math.max(1000, infoY + 200);
  const bottomY = height - 60;
  parts.push(text(80, bottomY, `收款单位(章):${truth.hospital}`));
  parts.push(text(900, bottomY, '复核人:赵敏'), text(1200, bottomY, '收款人:钱丽'));
  const hospitalAt: Point = [80 + 8 * 26 + truth.hospital.length * 13, bottomY - 9];
  const totalAt: Point = [1100 + 4 * 28 + figures.length * 7, sumY - 10];
  return { svg: parts.join(''), height, hospitalAt, totalAt };
}

/** A red round 收费专用章: the hospital's name around the rim, a star, 收费专用章 across. White elsewhere (it is multiplied in). */
function sealSvg(width: number, height: number, centre: Point, hospital: string, rnd: Random): string {
  const [cx, cy] = centre;
  const r = 100 + int(rnd, 0, 15);
  const ink = `rgb(${int(rnd, 205, 230)},${int(rnd, 30, 60)},${int(rnd, 40, 70)})`;
  const opacity = (0.7 + rnd() * 0.25).toFixed(2);
  const turn = rnd() * 30 - 15;
  const parts: string[] = [`<rect width="${width}" height="${height}" fill="#fff"/>`];
  parts.push(`<g transform="rotate(${turn.toFixed(1)} ${cx} ${cy})" opacity="${opacity}">`);
  parts.push(`<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${ink}" stroke-width="7"/>`);
  const name = hospital.slice(0, 14);
  const n = name.length;
  const span = Math.min(240, 20 * n);
  [...name].forEach((ch, i) => {
    const angle = -90 - span / 2 + (n === 1 ? span / 2 : (i * span) / (n - 1));
    const a = (angle * Math.PI) / 180;
    const x = cx + (r - 30) * Math.cos(a);
    const y = cy + (r - 30) * Math.sin(a);
    parts.push(
      `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${FONT} font-size="28" fill="${ink}" text-anchor="middle" dominant-baseline="central" transform="rotate(${(angle + 90).toFixed(1)} ${x.toFixed(1)} ${y.toFixed(1)})">${escapeXml(ch)}</text>`,
    );
  });
  const star: string[] = [];
  for (let k = 0; k < 10; k += 1) {
    const a = ((-90 + k * 36) * Math.PI) / 180;
    const rr = k % 2 === 0 ? 26 : 10;
    star.push(`${(cx + rr * Math.cos(a)).toFixed(1)},${(cy + rr * Math.sin(a)).toFixed(1)}`);
  }
  parts.push(`<polygon points="${star.join(' ')}" fill="${ink}"/>`);
  parts.push(
    `<text x="${cx}" y="${cy + 58}" ${FONT} font-size="24" fill="${ink}" text-anchor="middle">收费专用章</text>`,
  );
  parts.push('</g>');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** A fold across the sheet: a dark crease line, a light ridge beside it, a faint shade on one side. */
function creaseSvg(width: number, height: number, rnd: Random): string {
  const horizontal = rnd() < 0.5;
  const at = (0.3 + rnd() * 0.4) * (horizontal ? height : width);
  const slant = (rnd() - 0.5) * 60;
  const [x1, y1, x2, y2] = horizontal ? [0, at - slant, width, at + slant] : [at - slant, 0, at + slant, height];
  const [dx, dy] = horizontal ? [0, 3] : [3, 0];
  return (
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="rgba(60,50,40,0.35)" stroke-width="2"/>` +
    `<line x1="${x1 + dx}" y1="${y1 + dy}" x2="${x2 + dx}" y2="${y2 + dy}" stroke="rgba(255,255,255,0.7)" stroke-width="3"/>` +
    `<line x1="${x1 + 6 * dx}" y1="${y1 + 6 * dy}" x2="${x2 + 6 * dx}" y2="${y2 + 6 * dy}" stroke="rgba(0,0,0,0.06)" stroke-width="30"/>`
  );
}

/** The flat sheet as PNG, seal multiplied in. */
async function paperOf(
  truth: GroundTruth & { selfPay: number[] },
  spec: ReceiptSpec,
  rnd: Random,
): Promise<{ png: Buffer; height: number }> {
  const drawn = drawReceipt(truth, spec);
  const crease = spec.photo.crease ? creaseSvg(W, drawn.height, rnd) : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${drawn.height}"><rect width="${W}" height="${drawn.height}" fill="#fbfaf6"/>${drawn.svg}${crease}</svg>`;
  let paper = sharp(Buffer.from(svg));
  if (spec.seal !== 'none') {
    const [cx, cy] = spec.seal === 'hospital' ? drawn.hospitalAt : drawn.totalAt;
    const centre: Point = [Math.round(cx + int(rnd, -25, 25)), Math.round(cy + int(rnd, -15, 15))];
    const seal = await sharp(Buffer.from(sealSvg(W, drawn.height, centre, `${truth.hospital}`, rnd)))
      .png(FAST_PNG)
      .toBuffer();
    paper = sharp(await paper.png(FAST_PNG).toBuffer()).composite([{ input: seal, blend: 'multiply' }]);
  }
  return { png: await paper.png(FAST_PNG).toBuffer(), height: drawn.height };
}

/** A wooden desk (grain stripes) or a plain table, as SVG. */
function backgroundSvg(width: number, height: number, desk: boolean, rnd: Random): string {
  const base = desk
    ? pick(rnd, [
        [138, 96, 58],
        [112, 78, 50],
        [156, 120, 84],
        [92, 92, 98],
      ] as const)
    : pick(rnd, [
        [96, 84, 72],
        [70, 74, 80],
        [120, 104, 90],
      ] as const);
  const [r, g, b] = base;
  const parts = [`<rect width="${width}" height="${height}" fill="rgb(${r},${g},${b})"/>`];
  if (desk) {
    for (let k = 0; k < 70; k += 1) {
      const y = rnd() * height;
      const h = 2 + rnd() * 14;
      const shade = rnd() < 0.5 ? 'rgba(0,0,0,' : 'rgba(255,230,200,';
      parts.push(
        `<rect x="0" y="${y.toFixed(1)}" width="${width}" height="${h.toFixed(1)}" fill="${shade}${(0.04 + rnd() * 0.1).toFixed(2)})"/>`,
      );
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/**
 * Where the sheet's corners land in the photo: the sheet tilted by `tilt` about its horizontal axis
 * and `yaw` about its vertical one, seen by a pinhole camera (focal length ≈ the frame's width),
 * turned by `rotation`, centred with a little offset.
 */
function photoCorners(
  sheetW: number,
  sheetH: number,
  frameW: number,
  frameH: number,
  photo: PhotoSpec,
  rnd: Random,
): Point[] {
  const f = frameW * 1.0;
  const tilt = ((photo.tilt * Math.PI) / 180) * (rnd() < 0.5 ? 1 : -1);
  const yaw = (photo.yaw * Math.PI) / 180;
  const corners: Point[] = [
    [-sheetW / 2, -sheetH / 2],
    [sheetW / 2, -sheetH / 2],
    [sheetW / 2, sheetH / 2],
    [-sheetW / 2, sheetH / 2],
  ];
  const projected = corners.map(([x, y]): Point => {
    const y1 = y * Math.cos(tilt);
    const z1 = y * Math.sin(tilt);
    const x2 = x * Math.cos(yaw) + z1 * Math.sin(yaw);
    const z2 = -x * Math.sin(yaw) + z1 * Math.cos(yaw);
    const depth = f * 1.6 + z2;
    return [(f * 1.6 * x2) / depth, (f * 1.6 * y1) / depth];
  });
  const rot = (photo.rotation * Math.PI) / 180;
  const turned = projected.map(
    ([x, y]): Point => [x * Math.cos(rot) - y * Math.sin(rot), x * Math.sin(rot) + y * Math.cos(rot)],
  );
  const xs = turned.map((p) => p[0]);
  const ys = turned.map((p) => p[1]);
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  const fill = 0.78 + rnd() * 0.1;
  const k = Math.min((frameW * fill) / spanX, (frameH * fill) / spanY);
  const offX = (rnd() - 0.5) * (frameW - spanX * k) * 0.6;
  const offY = (rnd() - 0.5) * (frameH - spanY * k) * 0.6;
  return turned.map(([x, y]): Point => [frameW / 2 + offX + x * k, frameH / 2 + offY + y * k]);
}

/** Draws the sheet into the frame through the homography (bilinear sampling, inverse mapping). */
function warpInto(
  frame: Buffer,
  frameW: number,
  frameH: number,
  sheet: Buffer,
  sheetW: number,
  sheetH: number,
  corners: Point[],
): void {
  const toSheet = homography(corners, [
    [0, 0],
    [sheetW, 0],
    [sheetW, sheetH],
    [0, sheetH],
  ]);
  if (!toSheet) throw new Error('degenerate perspective');
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(frameW - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(frameH - 1, Math.ceil(Math.max(...ys)));
  for (let y = y0; y <= y1; y += 1) {
    for (let x = x0; x <= x1; x += 1) {
      const [sx, sy] = project(toSheet, x + 0.5, y + 0.5);
      if (sx < 0 || sy < 0 || sx > sheetW - 1 || sy > sheetH - 1) continue;
      const ix = Math.floor(sx);
      const iy = Math.floor(sy);
      const fx = sx - ix;
      const fy = sy - iy;
      const i00 = (iy * sheetW + ix) * 3;
      const i10 = i00 + 3;
      const i01 = i00 + sheetW * 3;
      const i11 = i01 + 3;
      const o = (y * frameW + x) * 3;
      for (let c = 0; c < 3; c += 1) {
        const top = (sheet[i00 + c] ?? 0) * (1 - fx) + (sheet[i10 + c] ?? 0) * fx;
        const bottom = (sheet[i01 + c] ?? 0) * (1 - fx) + (sheet[i11 + c] ?? 0) * fx;
        frame[o + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
}

/** Generates one receipt of the extended set. */
export async function generateExtendedReceipt(
  seed: number,
  overrides: Partial<ReceiptSpec> = {},
): Promise<ExtendedReceipt> {
  const spec = specOf(seed, overrides);
  const truth = extendedTruth(seed, spec);
  const rnd = seeded(seed * 104723 + 7);
  const { png, height: sheetH } = await paperOf(truth, spec, rnd);
  const photo = spec.photo;
  const frameW = photo.longSide;
  const frameH = Math.round(frameW * 0.75);
  const corners = photoCorners(W, sheetH, frameW, frameH, photo, rnd);
  // The sheet at about the size it will have in the frame (sampling near 1:1).
  const xs = corners.map((p) => p[0]);
  const sheetScale = Math.min(1, ((Math.max(...xs) - Math.min(...xs)) / W) * 1.15);
  const sheetW = Math.round(W * sheetScale);
  const sheetHs = Math.round(sheetH * sheetScale);
  const sheet = await sharp(png).resize(sheetW, sheetHs).removeAlpha().raw().toBuffer();
  const scaled = corners;
  const frame = await sharp(Buffer.from(backgroundSvg(frameW, frameH, photo.mode === 'desk', rnd)))
    .removeAlpha()
    .raw()
    .toBuffer();
  warpInto(frame, frameW, frameH, sheet, sheetW, sheetHs, scaled);
  // Light: a lit corner and a shaded one; a soft shadow (a hand, a phone); a dim room.
  const dark = Math.round(255 * (1 - photo.shade));
  const layers: sharp.OverlayOptions[] = [];
  const lightSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${frameW}" height="${frameH}"><defs><radialGradient id="g" cx="${rnd() > 0.5 ? '20%' : '80%'}" cy="15%" r="110%"><stop offset="0%" stop-color="#fff"/><stop offset="100%" stop-color="rgb(${dark},${dark},${dark - 8})"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`;
  layers.push({ input: Buffer.from(lightSvg), blend: 'multiply' });
  if (photo.shadow) {
    const sx = rnd() * frameW * 0.6;
    const depth = int(rnd, 90, 150);
    const points = [
      [sx, -50],
      [sx + frameW * (0.3 + rnd() * 0.3), -50],
      [sx + frameW * (0.1 + rnd() * 0.4), frameH * (0.5 + rnd() * 0.5)],
      [sx - frameW * 0.1, frameH * (0.4 + rnd() * 0.4)],
    ];
    const shadow = `<svg xmlns="http://www.w3.org/2000/svg" width="${frameW}" height="${frameH}"><rect width="100%" height="100%" fill="#fff"/><polygon points="${points.map(([px, py]) => `${(px ?? 0).toFixed(0)},${(py ?? 0).toFixed(0)}`).join(' ')}" fill="rgb(${depth},${depth},${depth + 10})"/></svg>`;
    layers.push({
      input: await sharp(Buffer.from(shadow))
        .blur(frameW / 60)
        .png(FAST_PNG)
        .toBuffer(),
      blend: 'multiply',
    });
  }
  if (photo.light < 1) {
    const level = Math.round(255 * photo.light);
    layers.push({
      input: {
        create: {
          width: frameW,
          height: frameH,
          channels: 3,
          background: { r: level, g: Math.round(level * 0.96), b: Math.round(level * 0.88) },
        },
      },
      blend: 'multiply',
    });
  }
  layers.push({
    input: noiseTile(photo.noise, seed),
    raw: { width: NOISE_TILE, height: NOISE_TILE, channels: 1 },
    tile: true,
    blend: 'overlay',
  });
  const lit = await sharp(frame, { raw: { width: frameW, height: frameH, channels: 3 } })
    .composite(layers)
    .png(FAST_PNG)
    .toBuffer();
  const image = await sharp(lit).blur(photo.blur).jpeg({ quality: photo.jpegQuality }).toBuffer();
  return {
    seed,
    truth,
    image,
    format: 'jpeg',
    width: frameW,
    height: frameH,
    degradation: {
      rotation: photo.rotation,
      blur: photo.blur,
      noise: photo.noise,
      jpegQuality: photo.jpegQuality,
      shade: photo.shade,
    },
    spec,
    kinds: kindsOf(spec),
    corners,
  };
}
