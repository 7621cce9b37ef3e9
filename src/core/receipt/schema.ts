/**
 * The OCR-result boundary. Whatever an OCR adapter (PaddleOCR locally, WeChat printedText in the
 * cloud) or a client sends is validated here before extraction, and the extracted receipt has a
 * schema of its own so it can be stored on a claim and shown to a reviewer as is.
 */
import * as z from 'zod';

const coordinate = z.number().finite();

/** An axis-aligned rectangle [x, y, width, height] in the pixels of the image the OCR saw. */
export const rectSchema = z.tuple([coordinate, coordinate, coordinate.min(0), coordinate.min(0)]);
export type Rect = z.infer<typeof rectSchema>;

/** A quadrilateral (or any polygon) as points, as PaddleOCR and WeChat return them. */
export const pointsSchema = z
  .array(z.tuple([coordinate, coordinate]))
  .min(3, '文字区域至少需要三个点')
  .max(16);

export const ocrLineSchema = z.object({
  text: z.string().max(2000, '识别出的文字过长'),
  box: z.union([rectSchema, pointsSchema]).optional(),
  confidence: z.number().min(0).max(1).optional(),
  /**
   * The same region on the sheet as the OCR saw it, flattened (perspective undone, straightened): where
   * rows and table columns line up. `box` (on the photo) is what is shown; this one is what is measured.
   */
  flatBox: pointsSchema.optional(),
  /** Each character's own confidence, aligned with the characters of `text` (where the OCR gives them). */
  charConfidence: z.array(z.number().min(0).max(1)).max(2000).optional(),
  /** The line lies (partly) under a red seal: its characters may be replaced by look-alikes. */
  underSeal: z.boolean().optional(),
  /**
   * Where the pieces of text the OCR joined into this line lie (the local OCR joins a row's pieces with a space, and
   * the gaps between them can be wider than the text): characters [start, end) of `text` (code points) and their
   * region on the photo. A value is placed on its own piece, not in proportion to the whole row.
   */
  pieces: z
    .array(
      z.object({
        start: z.number().int().min(0),
        end: z.number().int().min(0),
        box: z.union([rectSchema, pointsSchema]),
      }),
    )
    .max(200)
    .optional(),
});
export type OcrLine = z.infer<typeof ocrLineSchema>;

export const ocrLinesSchema = z.array(ocrLineSchema).max(1000, '识别出的文字行过多');

/** Where a value was read: the OCR line (index into the lines given to `extractReceipt`) and its region. */
export const fieldSourceSchema = z.object({
  line: z.number().int().min(0),
  box: rectSchema.optional(),
});
export type FieldSource = z.infer<typeof fieldSourceSchema>;

const fieldOf = <T extends z.ZodType>(value: T) =>
  z.object({
    value,
    /** 0..1: OCR confidence of the lines it came from, lowered for corrected look-alikes and weak evidence. */
    confidence: z.number().min(0).max(1),
    /** The text the value was read from, as the OCR returned it (after width folding). */
    raw: z.string(),
    /** True when look-alike characters were corrected (参→叁, O→0, …). */
    corrected: z.boolean(),
    sources: z.array(fieldSourceSchema),
    /** Read (partly) under a red seal: always confirmed by the person. */
    underSeal: z.boolean().optional(),
  });

const fen = z.number().int().min(0).max(10_000_000_000);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请按「年-月-日」填写日期，例如 2026-03-02');

export const stringFieldSchema = fieldOf(z.string().min(1));
export const fenFieldSchema = fieldOf(fen);
export const dateFieldSchema = fieldOf(isoDate);
export type StringField = z.infer<typeof stringFieldSchema>;
export type FenField = z.infer<typeof fenFieldSchema>;
export type DateField = z.infer<typeof dateFieldSchema>;
export type Field = StringField | FenField | DateField;

export const receiptKindSchema = z.enum(['outpatient', 'inpatient', 'invoice', 'unknown']);
export type ReceiptKind = z.infer<typeof receiptKindSchema>;

export const receiptFieldsSchema = z.object({
  /** 票据名称 */
  title: stringFieldSchema.optional(),
  /** 票据代码 (8 digits) / 发票代码 (10 or 12) */
  code: stringFieldSchema.optional(),
  /** 票据号码 (10 digits) / 发票号码 (8 or 20) */
  number: stringFieldSchema.optional(),
  /** 校验码 (6 letters or digits; 20 digits on VAT invoices) */
  checkCode: stringFieldSchema.optional(),
  /** 开票日期 */
  issueDate: dateFieldSchema.optional(),
  /** 交款人 */
  payer: stringFieldSchema.optional(),
  /** 收款单位 */
  hospital: stringFieldSchema.optional(),
  /** 门诊号 */
  outpatientNo: stringFieldSchema.optional(),
  /** 住院号 */
  inpatientNo: stringFieldSchema.optional(),
  /** 入院日期 */
  admissionDate: dateFieldSchema.optional(),
  /** 出院日期 */
  dischargeDate: dateFieldSchema.optional(),
  /** 合计（小写） */
  totalFigures: fenFieldSchema.optional(),
  /** 合计（大写）, parsed to fen */
  totalWords: fenFieldSchema.optional(),
  /** 医保统筹（基金）支付: what the fund paid at the counter (above 0: the bill was settled in part already). */
  fundPaid: fenFieldSchema.optional(),
});
export type ReceiptFields = z.infer<typeof receiptFieldsSchema>;
export type ReceiptFieldName = keyof ReceiptFields;

export const RECEIPT_FIELD_NAMES = [
  'title',
  'code',
  'number',
  'checkCode',
  'issueDate',
  'payer',
  'hospital',
  'outpatientNo',
  'inpatientNo',
  'admissionDate',
  'dischargeDate',
  'totalFigures',
  'totalWords',
  'fundPaid',
] as const satisfies readonly ReceiptFieldName[];

/** Chinese names for forms, messages and the reviewer's view. */
export const FIELD_LABELS: Record<ReceiptFieldName | 'items', string> = {
  title: '票据名称',
  code: '票据代码',
  number: '票据号码',
  checkCode: '校验码',
  issueDate: '开票日期',
  payer: '交款人',
  hospital: '收款单位',
  outpatientNo: '门诊号',
  inpatientNo: '住院号',
  admissionDate: '入院日期',
  dischargeDate: '出院日期',
  totalFigures: '合计（小写）',
  totalWords: '合计（大写）',
  fundPaid: '医保统筹支付',
  items: '收费项目',
};

/** 医保类别 as the engine names it: 甲 A, 乙 B, 丙 (or 自费) C. */
export const itemCategorySchema = z.enum(['A', 'B', 'C']);
export type ItemCategory = z.infer<typeof itemCategorySchema>;

export const lineItemSchema = z.object({
  name: stringFieldSchema,
  /** 金额; absent only on a row kept for the person to complete (then `flag` says so). */
  amount: fenFieldSchema.optional(),
  /** 数量 and 单价 of a 费用明细 row (quantity × unit price = amount is checked). */
  quantity: fieldOf(z.number().positive().max(1_000_000)).optional(),
  unitPrice: fenFieldSchema.optional(),
  /** 医保类别 printed on the row (甲/乙/丙), or derived from its 自付比例 (0 % 甲, 100 % 丙, between 乙). */
  category: fieldOf(itemCategorySchema).optional(),
  /** 自付比例 printed on the row, in percent. */
  selfPayPercent: fieldOf(z.number().min(0).max(100)).optional(),
  /** Why this row must be looked at (数量 × 单价 ≠ 金额, a cell that could not be read …), or absent. */
  flag: z.string().max(200).optional(),
});
export type LineItem = z.infer<typeof lineItemSchema>;

export const extractedReceiptSchema = z.object({
  kind: receiptKindSchema,
  fields: receiptFieldsSchema,
  items: z.array(lineItemSchema).max(200),
  /** The OCR lines the extraction read (text after width folding), kept for the reviewer. */
  lines: z.array(z.object({ text: z.string(), box: rectSchema.optional(), confidence: z.number().min(0).max(1) })),
  /**
   * Not a receipt at all: a prescription (处方笺) or a 费用清单 headed as one, with nothing of a receipt on it (no 票据代码,
   * 票据号码, 发票). Its figures are not a bill's: nothing is filled from it.
   */
  otherDocument: z.enum(['prescription', 'feeList']).optional(),
});
export type ExtractedReceipt = z.infer<typeof extractedReceiptSchema>;
