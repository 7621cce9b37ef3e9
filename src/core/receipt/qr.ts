/**
 * What a receipt's QR code says. Three shapes are recognised, everything else is kept as raw text:
 *
 * - the VAT e-invoice form `01,10,代码,号码,金额,YYYYMMDD,校验码,CRC` (增值税发票, 全电发票 with an empty
 *   代码 and a 20-digit 号码). Its 金额 is the amount before tax (不含税); for medical services it is
 *   normally the whole amount, but a cross-check treats a difference as a question, not an error;
 * - URL forms (财政电子票据 / 医疗收费电子票据 verification pages) whose query parameters carry the
 *   code, number, check code, amount, date or payee under many names (billBatchCode, billNo, random,
 *   total, issueDate, …): names are matched liberally, values strictly;
 * - labelled text (票据代码:…;票据号码:…).
 *
 * Nothing is guessed: a field is present only when a recognised name or position carries a value of
 * the right shape.
 */
import type { Fen } from '../money';
import { normaliseText, parseDate, yuanToFen } from './text';

export interface QrFields {
  /** 票据代码 / 发票代码 */
  code?: string;
  /** 票据号码 / 发票号码 */
  number?: string;
  /** 校验码 */
  checkCode?: string;
  amountFen?: Fen;
  /** YYYY-MM-DD */
  date?: string;
  /** 收款单位, when the issuer puts it in the payload */
  hospital?: string;
}

export type QrPayload =
  | ({ kind: 'vat-invoice'; raw: string; invoiceType: string } & QrFields)
  | ({ kind: 'url'; raw: string; host: string; params: Record<string, string> } & QrFields)
  | ({ kind: 'labelled'; raw: string } & QrFields)
  | { kind: 'unknown'; raw: string };

/** Lower-cased, separators removed: billBatchCode, bill_batch_code and BILLBATCHCODE are one name. */
const key = (name: string): string => name.toLowerCase().replace(/[^a-z0-9\u4e00-\u9fff]/g, '');

const NAMES: Record<keyof QrFields, string[]> = {
  code: [
    'billbatchcode',
    'billcode',
    'batchcode',
    'ebillcode',
    'invoicecode',
    'invcode',
    'fpdm',
    'pjdm',
    'code',
    'dm',
    '票据代码',
    '发票代码',
  ],
  number: [
    'billno',
    'billnumber',
    'ebillno',
    'invoiceno',
    'invoicenumber',
    'invno',
    'fphm',
    'pjhm',
    'number',
    'no',
    'hm',
    '票据号码',
    '发票号码',
  ],
  checkCode: [
    'checkcode',
    'random',
    'randomcode',
    'verifycode',
    'verifyno',
    'jym',
    'check',
    'chkcode',
    'pwd',
    '校验码',
  ],
  amountFen: [
    'total',
    'totalamt',
    'totalamount',
    'amount',
    'amt',
    'money',
    'je',
    'jshj',
    'sum',
    'fee',
    'totalfee',
    '金额',
    '合计',
  ],
  date: ['issuedate', 'billdate', 'invoicedate', 'ivcdate', 'kprq', 'date', 'createdate', '开票日期', '日期'],
  hospital: [
    'hospital',
    'hospitalname',
    'payee',
    'payeename',
    'agency',
    'agencyname',
    'unit',
    'unitname',
    'orgname',
    '收款单位',
  ],
};

const SHAPES: Record<Exclude<keyof QrFields, 'amountFen' | 'date' | 'hospital'>, RegExp> = {
  code: /^\d{8,12}$/,
  number: /^\d{8,20}$/,
  checkCode: /^[0-9A-Za-z]{4,20}$/,
};

function fieldsFrom(entries: Array<[string, string]>): QrFields {
  const fields: QrFields = {};
  for (const field of Object.keys(NAMES) as Array<keyof QrFields>) {
    const names = NAMES[field];
    // The earliest name in the list wins, so `billcode` beats a generic `code`.
    for (const name of names) {
      const entry = entries.find(([k]) => key(k) === name);
      if (!entry) continue;
      const value = entry[1].trim();
      if (value === '') continue;
      if (field === 'amountFen') {
        const fen = yuanToFen(value);
        if (fen !== null) fields.amountFen = fen;
      } else if (field === 'date') {
        const iso = parseDate(value);
        if (iso !== null) fields.date = iso;
      } else if (field === 'hospital') {
        fields.hospital = value;
      } else if (SHAPES[field].test(value)) {
        fields[field] = value;
      }
      if (fields[field] !== undefined) break;
    }
  }
  return fields;
}

const hasAny = (fields: QrFields): boolean => Object.values(fields).some((v) => v !== undefined);

function parseVat(raw: string): QrPayload | null {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length < 6) return null;
  const [version, type, code, number, amount, date, checkCode] = parts;
  if (version === undefined || !/^0\d$/.test(version)) return null;
  if (type === undefined || !/^\d{2}$/.test(type)) return null;
  if (number === undefined || !/^\d{8,20}$/.test(number)) return null;
  if (code === undefined || !(code === '' || /^\d{10,12}$/.test(code))) return null;
  const iso = date !== undefined && /^\d{8}$/.test(date) ? parseDate(date) : null;
  if (iso === null) return null;
  const payload: QrPayload = { kind: 'vat-invoice', raw, invoiceType: type, number, date: iso };
  if (code !== '') payload.code = code;
  const fen = amount === undefined || amount === '' ? null : yuanToFen(amount);
  if (fen !== null) payload.amountFen = fen;
  if (checkCode !== undefined && /^[0-9A-Za-z]{4,20}$/.test(checkCode)) payload.checkCode = checkCode;
  return payload;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function queryEntries(query: string): Array<[string, string]> {
  return query
    .split(/[&;]/)
    .filter((pair) => pair.includes('='))
    .map((pair) => {
      const at = pair.indexOf('=');
      return [safeDecode(pair.slice(0, at)), safeDecode(pair.slice(at + 1))] as [string, string];
    });
}

function parseUrl(raw: string): QrPayload | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)[^?#]*(?:\?([^#]*))?(?:#(.*))?$/i.exec(raw);
  if (!match) return null;
  const host = (match[2] ?? '').toLowerCase();
  // Some issuers put the parameters after the hash (single-page verification sites).
  const hash = match[4] ?? '';
  const entries = [
    ...queryEntries(match[3] ?? ''),
    ...queryEntries(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : hash),
  ];
  const params: Record<string, string> = {};
  for (const [k, v] of entries) params[k] = v;
  return { kind: 'url', raw, host, params, ...fieldsFrom(entries) };
}

function parseLabelled(raw: string): QrPayload | null {
  const text = normaliseText(raw.replace(/\n/g, ';'));
  const entries: Array<[string, string]> = [];
  const pattern = /([\u4e00-\u9fffA-Za-z_]{2,20})[:=]([^;,&]*)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[1] !== undefined && match[2] !== undefined) entries.push([match[1], match[2]]);
  }
  if (entries.length < 2) return null;
  const fields = fieldsFrom(entries);
  return hasAny(fields) ? { kind: 'labelled', raw, ...fields } : null;
}

/** Reads a decoded QR payload; anything unrecognised comes back as `{ kind: 'unknown', raw }`. */
export function parseQrPayload(raw: string): QrPayload {
  const text = raw.trim();
  return parseVat(text) ?? parseUrl(text) ?? parseLabelled(text) ?? { kind: 'unknown', raw };
}

/** The fields a payload carries (none for an unknown payload). */
export function qrFields(payload: QrPayload): QrFields {
  if (payload.kind === 'unknown') return {};
  const { code, number, checkCode, amountFen, date, hospital } = payload;
  const fields: QrFields = {};
  if (code !== undefined) fields.code = code;
  if (number !== undefined) fields.number = number;
  if (checkCode !== undefined) fields.checkCode = checkCode;
  if (amountFen !== undefined) fields.amountFen = amountFen;
  if (date !== undefined) fields.date = date;
  if (hospital !== undefined) fields.hospital = hospital;
  return fields;
}
