/**
 * Receipt reading figures (issues 6 and 16), on generated receipts photographed like phone photos:
 * the classic set (门诊, 住院, 电子发票; turned, blurred, noisy, JPEG) and the extended set of issue 16
 * (费用明细 tables, two-column grids with 序号/医保类别, provinces' wording, seals over names and totals,
 * desks at 7–15° of perspective, shadows, dim rooms with grain, creases, 1,200–1,500 px at JPEG 45–60).
 * Every tenth receipt prints a 小写 that disagrees with its 大写.
 * - fields exact (goal ≥ 95 %), line items exact (amount and printed 医保类别; goal ≥ 95 %), totals exact
 *   or flagged (goal 100 %), silent errors (a wrong value nothing flags; goal 0) — overall and per kind;
 * - time per receipt: each preparation step (perspective, light, seal, deskew) measured apart, the
 *   recognition, and the whole; baseline in the same process: sharp decode + resize to 1600 px;
 * - QR decode time and success rate on the receipts that carry a QR.
 * RECEIPTS=n sets the extended set's size (default 80), CLASSIC=n the classic set's (default 20);
 * STEPS_OFF=perspective,light,seal turns preparation steps off (to measure what each one brings).
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { readOcrResult } from '../src/core/receipt';
import { OCR_LONG_SIDE, prepareImage, sharedPaddle, toOcrLines } from '../server/ocr/paddle';
import { decodeQr } from '../server/ocr/qrDecode';
import { type GeneratedReceipt, generateReceipt } from '../test/receipts/generator';
import { scoreReading } from '../test/receipts/score';
import { generateExtendedReceipt } from '../test/receipts/varieties';

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
};
const median = (values: number[]): number => percentile(values, 0.5);
const pct = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);
const ms = (value: number): string => `${value.toFixed(0)} ms`;

interface Tally {
  receipts: number;
  fields: number;
  fieldsExact: number;
  items: number;
  itemsExact: number;
  totalsOk: number;
  silent: number;
}
const tally = (): Tally => ({ receipts: 0, fields: 0, fieldsExact: 0, items: 0, itemsExact: 0, totalsOk: 0, silent: 0 });

interface Sample {
  receipt: GeneratedReceipt;
  kinds: string[];
}

export async function run(): Promise<void> {
  const extendedCount = process.env.RECEIPTS === undefined ? 80 : Number(process.env.RECEIPTS);
  const classicCount = process.env.CLASSIC === undefined ? 20 : Number(process.env.CLASSIC);
  const off = new Set((process.env.STEPS_OFF ?? '').split(',').map((step) => step.trim()).filter(Boolean));
  const steps = { perspective: !off.has('perspective'), light: !off.has('light'), seal: !off.has('seal') };
  const ocr = sharedPaddle();
  if (off.size > 0) console.log(`preparation steps off: ${[...off].join(', ')}`);

  let started = performance.now();
  await ocr.load();
  console.log(`model load (once per process): ${ms(performance.now() - started)}`);

  started = performance.now();
  const samples: Sample[] = [];
  for (let seed = 1; seed <= classicCount; seed += 1) {
    const receipt = await generateReceipt(seed, { misprintFigures: seed % 10 === 0 });
    samples.push({ receipt, kinds: ['classic', `classic:${receipt.truth.layout}`, ...(seed % 10 === 0 ? ['misprint'] : [])] });
  }
  for (let seed = 1; seed <= extendedCount; seed += 1) {
    const receipt = await generateExtendedReceipt(seed, { misprintFigures: seed % 10 === 0 });
    samples.push({ receipt, kinds: ['extended', ...receipt.kinds] });
  }
  const kindCounts = new Map<string, number>();
  for (const sample of samples) for (const kind of sample.kinds) kindCounts.set(kind, (kindCounts.get(kind) ?? 0) + 1);
  console.log(`generated ${samples.length} receipts in ${ms(performance.now() - started)}: ${[...kindCounts].map(([k, v]) => `${k} ${v}`).join(', ')}`);

  const baselineMs: number[] = [];
  const prepareMs: number[] = [];
  const detectMs: number[] = [];
  const ocrMs: number[] = [];
  const stepMs = new Map<string, number[]>();
  const qrMs: number[] = [];
  let qrExpected = 0;
  let qrRead = 0;
  let qrWrong = 0;
  let confirmations = 0;
  const all = tally();
  const byKind = new Map<string, Tally>();
  const missesByField = new Map<string, number>();
  const examples: string[] = [];

  for (const { receipt, kinds } of samples) {
    // Baseline: sharp decode + resize of the same image to the OCR size.
    let t0 = performance.now();
    await sharp(receipt.image).rotate().resize({ width: OCR_LONG_SIDE, height: OCR_LONG_SIDE, fit: 'inside' }).raw().toBuffer();
    baselineMs.push(performance.now() - t0);

    t0 = performance.now();
    const qr = await decodeQr(receipt.image);
    qrMs.push(performance.now() - t0);
    if (receipt.truth.qr) {
      qrExpected += 1;
      if (qr?.text === receipt.truth.qr) qrRead += 1;
      else if (qr) qrWrong += 1;
    }

    t0 = performance.now();
    const prepared = await prepareImage(receipt.image, OCR_LONG_SIDE, steps);
    const t1 = performance.now();
    const lines = toOcrLines(await ocr.detect(prepared.png), prepared.toOriginal, prepared);
    const t2 = performance.now();
    prepareMs.push(t1 - t0);
    detectMs.push(t2 - t1);
    ocrMs.push(t2 - t0);
    for (const [step, value] of Object.entries(prepared.steps ?? {})) stepMs.set(step, [...(stepMs.get(step) ?? []), value]);

    const reading = readOcrResult(lines, qr?.text ?? null);
    const score = scoreReading(receipt.truth, reading);
    confirmations += reading.crossCheck.needsConfirmation.length;
    const totalOk = score.totalExact || score.totalFlagged;
    const silent = [...score.fields, ...score.items].filter((f) => f.silent).length + (totalOk ? 0 : 1);
    for (const t of [all, ...kinds.map((kind) => byKind.get(kind) ?? byKind.set(kind, tally()).get(kind)!)]) {
      t.receipts += 1;
      t.fields += score.fields.length;
      t.fieldsExact += score.fields.filter((f) => f.exact).length;
      t.items += score.items.length;
      t.itemsExact += score.items.filter((f) => f.exact).length;
      t.totalsOk += totalOk ? 1 : 0;
      t.silent += silent;
    }
    for (const field of [...score.fields, ...score.items]) {
      if (field.exact) continue;
      const key = field.field.startsWith('item:') ? 'item' : field.field.startsWith('extra:') ? 'extra item' : field.field;
      missesByField.set(key, (missesByField.get(key) ?? 0) + 1);
      if (examples.length < 40 || field.silent) examples.push(`  ${kinds[0]} seed ${receipt.seed} [${kinds.slice(1).join(' ')}] ${field.field}: expected ${field.expected}, read ${field.actual ?? '(nothing)'}${field.silent ? '  ← SILENT' : ''}`);
    }
    if (!totalOk) examples.push(`  ${kinds[0]} seed ${receipt.seed} TOTAL silently wrong: suggested ${reading.crossCheck.suggested.totalFen?.value}, truth ${receipt.truth.totalFen}`);
  }

  const line = (label: string, t: Tally): string =>
    `${label.padEnd(16)} n=${String(t.receipts).padStart(3)}  fields ${pct(t.fieldsExact, t.fields).padStart(6)}  items ${pct(t.itemsExact, t.items).padStart(6)} (${t.itemsExact}/${t.items})  totals ok ${pct(t.totalsOk, t.receipts).padStart(6)}  silent ${t.silent}`;
  console.log('');
  console.log(`fields exact:              ${all.fieldsExact}/${all.fields} = ${pct(all.fieldsExact, all.fields)}  (goal ≥ 95%)`);
  console.log(`line items exact:          ${all.itemsExact}/${all.items} = ${pct(all.itemsExact, all.items)}  (goal ≥ 95%)`);
  console.log(`totals exact or flagged:   ${all.totalsOk}/${all.receipts} = ${pct(all.totalsOk, all.receipts)}  (goal 100%)`);
  console.log(`silent errors:             ${all.silent}  (wrong values nothing flags; goal 0)`);
  console.log(`fields to confirm:         ${(confirmations / Math.max(1, samples.length)).toFixed(2)} per receipt`);
  if (missesByField.size > 0) console.log(`misses by field:           ${[...missesByField].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log('by kind:');
  for (const [kind, t] of [...byKind].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`  ${line(kind, t)}`);
  for (const example of examples) console.log(example);
  console.log('');
  const baseMedian = median(baselineMs);
  console.log(`per receipt (${OCR_LONG_SIDE} px): prepare+recognise median ${ms(median(ocrMs))}, p90 ${ms(percentile(ocrMs, 0.9))}; prepare ${ms(median(prepareMs))}, recognition ${ms(median(detectMs))}`);
  for (const [step, values] of stepMs) console.log(`  step ${step.padEnd(12)} median ${ms(median(values))}, p90 ${ms(percentile(values, 0.9))}`);
  console.log(`baseline sharp decode+resize to ${OCR_LONG_SIDE} px: median ${ms(baseMedian)} → whole = ${(median(ocrMs) / baseMedian).toFixed(1)}× baseline`);
  console.log(`QR decode: median ${ms(median(qrMs))}, p90 ${ms(percentile(qrMs, 0.9))} (all receipts, incl. those without a QR)`);
  console.log(`QR success: ${qrRead}/${qrExpected} = ${pct(qrRead, qrExpected)} of receipts with a QR (misread: ${qrWrong})`);
  // The shared model stays loaded: onnxruntime cannot be loaded again in this process once its worker ends.
}
