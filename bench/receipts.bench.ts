/**
 * Receipt reading figures (issues 6 and 16), on generated receipts photographed like phone photos:
 * the classic set (门诊, 住院, 电子发票; turned, blurred, noisy, JPEG) and the extended set of issue 16
 * (费用明细 tables, two-column grids with 序号/医保类别, provinces' wording, seals over names and totals,
 * desks at 7–15° of perspective, shadows, dim rooms with grain, creases, 1,200–1,500 px at JPEG 45–60).
 * Every tenth receipt prints a 小写 that disagrees with its 大写.
 * - fields exact (goal ≥ 95 %), line items exact (amount and printed 医保类别; goal ≥ 95 %), totals exact
 *   or flagged (goal 100 %), silent errors (a wrong value nothing flags; goal 0) — overall and per kind;
 * - time per receipt: each preparation step (perspective, light, seal, deskew) measured apart, the
 *   detection and recognition stages, and the whole; baseline in the same process (issue 13): the OCR
 *   library's plain `detect` (@gutenye/ocr-node) on the same prepared 1600 px image — what this
 *   pipeline ran before (prepare + PNG + plain detect), whose fields are scored too: before and after
 *   in one run. Goal: the pipeline's median ≤ 0.5 × plain detect, fields as exact as before;
 * - QR decode time and success rate on the receipts that carry a QR.
 * RECEIPTS=n sets the extended set's size (default 80), CLASSIC=n the classic set's (default 20);
 * STEPS_OFF=perspective,edges,light,seal turns preparation steps off (to measure what each one brings;
 * edges: the sheet's straight borders looked for where the region found is doubtful);
 * DET_SIDE, REC_BATCH, RECOGNISERS set the pipeline's options (server/ocr/paddle.ts: PaddleOptions);
 * PLAIN=0 skips the baseline (half the time, no ratio).
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { readOcrResult, type ReceiptReading } from '../src/core/receipt';
import { OCR_LONG_SIDE, PaddleAdapter, type PaddleOptions, prepareImage, toOcrLines } from '../server/ocr/paddle';
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
const tally = (): Tally => ({
  receipts: 0,
  fields: 0,
  fieldsExact: 0,
  items: 0,
  itemsExact: 0,
  totalsOk: 0,
  silent: 0,
});

interface Sample {
  receipt: GeneratedReceipt;
  kinds: string[];
}

/** One reading's score added to the tallies (overall and per kind); returns what it got wrong, for the listing. */
function record(scores: Scores, sample: Sample, reading: ReceiptReading): void {
  const { receipt, kinds } = sample;
  const score = scoreReading(receipt.truth, reading);
  scores.confirmations += reading.crossCheck.needsConfirmation.length;
  const totalOk = score.totalExact || score.totalFlagged;
  const silent = [...score.fields, ...score.items].filter((f) => f.silent).length + (totalOk ? 0 : 1);
  for (const t of [
    scores.all,
    ...kinds.map((kind) => scores.byKind.get(kind) ?? scores.byKind.set(kind, tally()).get(kind)!),
  ]) {
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
    const key = field.field.startsWith('item:')
      ? 'item'
      : field.field.startsWith('extra:')
        ? 'extra item'
        : field.field;
    scores.missesByField.set(key, (scores.missesByField.get(key) ?? 0) + 1);
    if (scores.examples.length < 40 || field.silent)
      scores.examples.push(
        `  ${kinds[0]} seed ${receipt.seed} [${kinds.slice(1).join(' ')}] ${field.field}: expected ${field.expected}, read ${field.actual ?? '(nothing)'}${field.silent ? '  ← SILENT' : ''}`,
      );
  }
  if (!totalOk)
    scores.examples.push(
      `  ${kinds[0]} seed ${receipt.seed} TOTAL silently wrong: suggested ${reading.crossCheck.suggested.totalFen?.value}, truth ${receipt.truth.totalFen}`,
    );
}

interface Scores {
  all: Tally;
  byKind: Map<string, Tally>;
  missesByField: Map<string, number>;
  examples: string[];
  confirmations: number;
}
const scores = (): Scores => ({
  all: tally(),
  byKind: new Map(),
  missesByField: new Map(),
  examples: [],
  confirmations: 0,
});

const envNumber = (name: string): number | undefined =>
  process.env[name] === undefined ? undefined : Number(process.env[name]);

export async function run(): Promise<void> {
  const extendedCount = envNumber('RECEIPTS') ?? 80;
  const classicCount = envNumber('CLASSIC') ?? 20;
  const off = new Set(
    (process.env.STEPS_OFF ?? '')
      .split(',')
      .map((step) => step.trim())
      .filter(Boolean),
  );
  const steps = {
    perspective: !off.has('perspective'),
    edges: !off.has('edges'),
    light: !off.has('light'),
    seal: !off.has('seal'),
  };
  const options: PaddleOptions = {
    detSide: envNumber('DET_SIDE'),
    batch: envNumber('REC_BATCH'),
    recognisers: envNumber('RECOGNISERS'),
  };
  const plain = process.env.PLAIN !== '0';
  const ocr = new PaddleAdapter(options);
  if (off.size > 0) console.log(`preparation steps off: ${[...off].join(', ')}`);
  console.log(`pipeline: detection at ≤ ${ocr.detSide} px, recognition batch ${ocr.batch}, ${JSON.stringify(options)}`);

  let started = performance.now();
  await ocr.load();
  console.log(`model load (once per process): ${ms(performance.now() - started)}`);
  if (plain) {
    started = performance.now();
    await ocr.loadPlain();
    console.log(`baseline model load (the library's own Ocr): ${ms(performance.now() - started)}`);
  }

  started = performance.now();
  const samples: Sample[] = [];
  for (let seed = 1; seed <= classicCount; seed += 1) {
    const receipt = await generateReceipt(seed, { misprintFigures: seed % 10 === 0 });
    samples.push({
      receipt,
      kinds: ['classic', `classic:${receipt.truth.layout}`, ...(seed % 10 === 0 ? ['misprint'] : [])],
    });
  }
  for (let seed = 1; seed <= extendedCount; seed += 1) {
    const receipt = await generateExtendedReceipt(seed, { misprintFigures: seed % 10 === 0 });
    samples.push({ receipt, kinds: ['extended', ...receipt.kinds] });
  }
  const kindCounts = new Map<string, number>();
  for (const sample of samples) for (const kind of sample.kinds) kindCounts.set(kind, (kindCounts.get(kind) ?? 0) + 1);
  console.log(
    `generated ${samples.length} receipts in ${ms(performance.now() - started)}: ${[...kindCounts].map(([k, v]) => `${k} ${v}`).join(', ')}`,
  );

  const resizeMs: number[] = [];
  const prepareMs: number[] = [];
  const encodeMs: number[] = [];
  const plainMs: number[] = [];
  const beforeMs: number[] = [];
  const readMs: number[] = [];
  const ocrMs: number[] = [];
  const ratios: number[] = [];
  const stepMs = new Map<string, number[]>();
  const stageMs = new Map<string, number[]>();
  const lineCounts: number[] = [];
  const qrMs: number[] = [];
  let qrExpected = 0;
  let qrRead = 0;
  let qrWrong = 0;
  const after = scores();
  const before = scores();

  for (const [index, sample] of samples.entries()) {
    const { receipt } = sample;
    // For scale: sharp decode + resize of the same image to the OCR size.
    let t0 = performance.now();
    await sharp(receipt.image)
      .rotate()
      .resize({ width: OCR_LONG_SIDE, height: OCR_LONG_SIDE, fit: 'inside' })
      .raw()
      .toBuffer();
    resizeMs.push(performance.now() - t0);

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
    const prepareTime = performance.now() - t0;
    prepareMs.push(prepareTime);
    for (const [step, value] of Object.entries(prepared.steps ?? {}))
      stepMs.set(step, [...(stepMs.get(step) ?? []), value]);

    // The pipeline and the baseline one after the other, in turns (neither always runs first).
    const pipeline = async (): Promise<void> => {
      const timings: Record<string, number> = {};
      const t = performance.now();
      const rows = await ocr.read(prepared, timings);
      const readTime = performance.now() - t;
      readMs.push(readTime);
      ocrMs.push(prepareTime + readTime);
      const { lines = 0, ...stages } = timings;
      lineCounts.push(lines);
      for (const [stage, value] of Object.entries(stages)) stageMs.set(stage, [...(stageMs.get(stage) ?? []), value]);
      record(after, sample, readOcrResult(toOcrLines(rows, prepared.toOriginal, prepared), qr?.text ?? null));
    };
    const baseline = async (): Promise<void> => {
      let t = performance.now();
      const png = await sharp(prepared.data, { raw: { width: prepared.width, height: prepared.height, channels: 3 } })
        .png({ compressionLevel: 1 })
        .toBuffer();
      const encodeTime = performance.now() - t;
      encodeMs.push(encodeTime);
      t = performance.now();
      const rows = await ocr.plainDetect(png);
      const plainTime = performance.now() - t;
      plainMs.push(plainTime);
      beforeMs.push(prepareTime + encodeTime + plainTime);
      record(before, sample, readOcrResult(toOcrLines(rows, prepared.toOriginal, prepared), qr?.text ?? null));
    };
    if (!plain) await pipeline();
    else if (index % 2 === 0) await baseline().then(pipeline);
    else await pipeline().then(baseline);
    if (plain) ratios.push((ocrMs.at(-1) ?? 0) / (plainMs.at(-1) ?? 1));
  }

  const line = (label: string, t: Tally): string =>
    `${label.padEnd(16)} n=${String(t.receipts).padStart(3)}  fields ${pct(t.fieldsExact, t.fields).padStart(6)}  items ${pct(t.itemsExact, t.items).padStart(6)} (${t.itemsExact}/${t.items})  totals ok ${pct(t.totalsOk, t.receipts).padStart(6)}  silent ${t.silent}`;
  const { all, byKind, missesByField, examples, confirmations } = after;
  console.log('');
  console.log(
    `fields exact:              ${all.fieldsExact}/${all.fields} = ${pct(all.fieldsExact, all.fields)}  (goal ≥ 95%)`,
  );
  console.log(
    `line items exact:          ${all.itemsExact}/${all.items} = ${pct(all.itemsExact, all.items)}  (goal ≥ 95%)`,
  );
  console.log(
    `totals exact or flagged:   ${all.totalsOk}/${all.receipts} = ${pct(all.totalsOk, all.receipts)}  (goal 100%)`,
  );
  console.log(`silent errors:             ${all.silent}  (wrong values nothing flags; goal 0)`);
  console.log(`fields to confirm:         ${(confirmations / Math.max(1, samples.length)).toFixed(2)} per receipt`);
  if (missesByField.size > 0)
    console.log(`misses by field:           ${[...missesByField].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log('by kind:');
  for (const [kind, t] of [...byKind].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`  ${line(kind, t)}`);
  for (const example of examples) console.log(example);
  if (plain) {
    console.log('');
    console.log("before (the same prepared images through the library's plain detect):");
    console.log(`  ${line('all', before.all)}`);
    for (const [kind, t] of [...before.byKind].filter(([kind]) => kind === 'classic' || kind === 'extended'))
      console.log(`  ${line(kind, t)}`);
    if (before.missesByField.size > 0)
      console.log(`  misses by field: ${[...before.missesByField].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  console.log('');
  console.log(
    `per receipt (${OCR_LONG_SIDE} px): prepare+read median ${ms(median(ocrMs))}, p90 ${ms(percentile(ocrMs, 0.9))}; prepare ${ms(median(prepareMs))}, read (detect ≤ ${ocr.detSide} px + recognise) ${ms(median(readMs))}`,
  );
  for (const [step, values] of stepMs)
    console.log(
      `  step  ${step.padEnd(14)} median ${ms(median(values))}, p90 ${ms(percentile(values, 0.9))}, max ${ms(Math.max(...values))} (ran on ${values.length})`,
    );
  for (const [stage, values] of stageMs)
    console.log(`  stage ${stage.padEnd(14)} median ${ms(median(values))}, p90 ${ms(percentile(values, 0.9))}`);
  console.log(`  text boxes per receipt: median ${median(lineCounts)}, p90 ${percentile(lineCounts, 0.9)}`);
  if (plain) {
    const plainMedian = median(plainMs);
    console.log(
      `baseline: the library's plain detect on the same ${OCR_LONG_SIDE} px images: median ${ms(plainMedian)}, p90 ${ms(percentile(plainMs, 0.9))}`,
    );
    console.log(
      `  → pipeline (prepare + read) = ${(median(ocrMs) / plainMedian).toFixed(2)} × plain detect (median of medians; per-receipt ratio median ${median(ratios).toFixed(2)}, p90 ${percentile(ratios, 0.9).toFixed(2)})  (goal ≤ 0.5)`,
    );
    console.log(
      `  before (prepare + PNG ${ms(median(encodeMs))} + plain detect): median ${ms(median(beforeMs))} = ${(median(beforeMs) / plainMedian).toFixed(2)} × plain detect`,
    );
  }
  console.log(
    `for scale: sharp decode+resize to ${OCR_LONG_SIDE} px: median ${ms(median(resizeMs))} → pipeline = ${(median(ocrMs) / median(resizeMs)).toFixed(1)}× that`,
  );
  console.log(
    `QR decode: median ${ms(median(qrMs))}, p90 ${ms(percentile(qrMs, 0.9))} (all receipts, incl. those without a QR)`,
  );
  console.log(
    `QR success: ${qrRead}/${qrExpected} = ${pct(qrRead, qrExpected)} of receipts with a QR (misread: ${qrWrong})`,
  );
  // The workers stay loaded: onnxruntime cannot be loaded again in this process once its worker ends.
}
