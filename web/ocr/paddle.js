// PaddleOCR's PP-OCRv4 Chinese models under onnxruntime-web: where the text lines are (detection), then what
// each says (recognition). Pre- and post-processing follow PaddleOCR's own (DB boxes, CTC decoding); the
// images are ImageBitmaps drawn on OffscreenCanvas, so this runs in a worker.
import * as ort from "./vendor/ort.wasm.min.mjs";

// Detection input: the longer side scaled to at most this, both sides to multiples of 32. 960 was faster
// and more accurate on phone screenshots than PaddleOCR's 1280-ish defaults.
const DET_MAX_SIDE = 960;
// PaddleOCR normalises with ImageNet's mean and std, in the channel order it reads images in (BGR).
const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];
const BIN_THRESHOLD = 0.3; // a map pixel is text above this probability
const BOX_THRESHOLD = 0.6; // a region is a text line when its mean probability is above this
const UNCLIP_RATIO = 1.5; // the model marks a shrunk core of each line; grow it back by this
const MIN_BOX_SIDE = 3; // map pixels
const REC_HEIGHT = 48; // the recognition model's input height
// PaddleOCR pads every line to at least this width (its 3x48x320 input shape): the model misreads a short
// line squeezed into a narrow input ("账。" read as "。").
const REC_MIN_WIDTH = 320;
const REC_BATCH = 6; // lines per run, sorted by width so little is padding

/** An OCR reader over loaded models; `read(bitmap)` gives [{box: {x0, y0, x1, y1}, text, score}]. */
export async function createReader({ wasm, det, rec, keys, base }) {
  ort.env.wasm.numThreads = 1; // threads need cross-origin isolation, which a static intranet page lacks
  ort.env.wasm.proxy = false; // this is already a worker
  ort.env.wasm.wasmBinary = wasm; // downloaded by the worker, with progress
  ort.env.wasm.wasmPaths = base; // its JS glue, our own copy (never a CDN)
  const options = { executionProviders: ["wasm"], graphOptimizationLevel: "all" };
  const detector = await ort.InferenceSession.create(det, options);
  const recogniser = await ort.InferenceSession.create(rec, options);
  ort.env.wasm.wasmBinary = undefined; // compiled by now: the caller releases the 14 MB of bytes
  // Index 0 is CTC's blank and the last is a space: PaddleOCR appends both to its dictionary file.
  const lines = keys.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  const alphabet = ["", ...lines, " "];
  return {
    async read(bitmap) {
      const boxes = await detect(detector, bitmap);
      return recognise(recogniser, alphabet, bitmap, boxes);
    },
  };
}

function pixels(bitmap, sx, sy, sw, sh, dw, dh) {
  const canvas = new OffscreenCanvas(dw, dh);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(bitmap, sx, sy, sw, sh, 0, 0, dw, dh);
  return ctx.getImageData(0, 0, dw, dh).data;
}

/** RGBA bytes to a CHW float tensor in BGR order, (v / 255 - mean) / std per channel. */
function toTensor(rgba, width, height, mean, std, into = null, stride = width) {
  const plane = height * stride;
  const out = into || new Float32Array(3 * plane);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const o = y * stride + x;
      out[o] = (rgba[i + 2] / 255 - mean[0]) / std[0];
      out[plane + o] = (rgba[i + 1] / 255 - mean[1]) / std[1];
      out[2 * plane + o] = (rgba[i] / 255 - mean[2]) / std[2];
    }
  }
  return out;
}

/**
 * Frees a typed array's memory now (its buffer detached) instead of whenever the collector runs. A first
 * screenshot allocates ~80 MB of such buffers (downloads, tensors, pixels) within seconds, on top of the
 * engine's worker; on a phone, waiting for the collector is what pushes the renderer over its budget.
 * Browsers without ArrayBuffer.transfer just wait; wasm memory cannot be detached and is left alone.
 */
export function release(view) {
  try {
    view?.buffer?.transfer?.(0);
  } catch {
    // not detachable: the collector frees it
  }
}

const round32 = (n) => Math.max(32, Math.round(n / 32) * 32);

async function detect(session, bitmap) {
  const { width, height } = bitmap;
  const scale = Math.min(1, DET_MAX_SIDE / Math.max(width, height));
  const w = round32(width * scale);
  const h = round32(height * scale);
  const rgba = pixels(bitmap, 0, 0, width, height, w, h);
  const input = toTensor(rgba, w, h, DET_MEAN, DET_STD);
  release(rgba);
  const feeds = { [session.inputNames[0]]: new ort.Tensor("float32", input, [1, 3, h, w]) };
  const output = (await session.run(feeds))[session.outputNames[0]];
  release(input);
  const boxes = textRegions(output.data, w, h);
  release(output.data);
  const sx = width / w;
  const sy = height / h;
  return boxes.map((b) => ({
    x0: Math.max(0, Math.floor(b.x0 * sx)),
    y0: Math.max(0, Math.floor(b.y0 * sy)),
    x1: Math.min(width, Math.ceil(b.x1 * sx)),
    y1: Math.min(height, Math.ceil(b.y1 * sy)),
  }));
}

/**
 * DB post-processing with upright boxes (chat screenshots are never rotated): connected regions of the
 * thresholded map, kept when their mean probability is high, each grown by the unclip distance
 * area * ratio / perimeter.
 */
export function textRegions(prob, w, h) {
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  const boxes = [];
  for (let start = 0; start < w * h; start++) {
    if (seen[start] || prob[start] <= BIN_THRESHOLD) continue;
    let top = 0;
    let x0 = w, y0 = h, x1 = -1, y1 = -1, sum = 0, count = 0;
    // The 4-neighbours that are text and not yet seen go on the stack (no array per pixel: this runs for
    // every text pixel of the map).
    const visit = (q) => {
      if (!seen[q] && prob[q] > BIN_THRESHOLD) {
        seen[q] = 1;
        stack[top++] = q;
      }
    };
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const p = stack[--top];
      const x = p % w;
      const y = (p - x) / w;
      sum += prob[p];
      count++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0) visit(p - 1);
      if (x < w - 1) visit(p + 1);
      if (y > 0) visit(p - w);
      if (y < h - 1) visit(p + w);
    }
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (Math.min(bw, bh) < MIN_BOX_SIDE || sum / count < BOX_THRESHOLD) continue;
    const d = (bw * bh * UNCLIP_RATIO) / (2 * (bw + bh));
    boxes.push({ x0: x0 - d, y0: y0 - d, x1: x1 + 1 + d, y1: y1 + 1 + d });
  }
  return boxes;
}

async function recognise(session, alphabet, bitmap, boxes) {
  const items = boxes
    .map((box) => ({ box, width: Math.max(REC_HEIGHT / 4, Math.round((REC_HEIGHT * (box.x1 - box.x0)) / (box.y1 - box.y0))) }))
    .filter((it) => it.box.x1 - it.box.x0 >= 2 && it.box.y1 - it.box.y0 >= 2)
    .sort((a, b) => a.width - b.width);
  const lines = [];
  for (let i = 0; i < items.length; i += REC_BATCH) {
    const batch = items.slice(i, i + REC_BATCH);
    const width = Math.max(REC_MIN_WIDTH, batch.at(-1).width);
    const plane = REC_HEIGHT * width;
    // Padding stays 0, PaddleOCR's own padding value after normalisation.
    const input = new Float32Array(batch.length * 3 * plane);
    batch.forEach(({ box, width: w }, n) => {
      const rgba = pixels(bitmap, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0, w, REC_HEIGHT);
      toTensor(rgba, w, REC_HEIGHT, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], input.subarray(n * 3 * plane, (n + 1) * 3 * plane), width);
      release(rgba);
    });
    const feeds = { [session.inputNames[0]]: new ort.Tensor("float32", input, [batch.length, 3, REC_HEIGHT, width]) };
    const output = (await session.run(feeds))[session.outputNames[0]];
    release(input);
    const [, steps, classes] = output.dims;
    if (classes !== alphabet.length) throw new Error(`recognition model has ${classes} classes, dictionary ${alphabet.length}`);
    batch.forEach(({ box }, n) => {
      const { text, score } = ctcDecode(output.data, n * steps * classes, steps, classes, alphabet);
      if (text.trim()) lines.push({ box, text, score });
    });
    release(output.data);
  }
  return lines;
}

/** Greedy CTC: the best class per step, repeats collapsed, blanks dropped. */
export function ctcDecode(data, offset, steps, classes, alphabet) {
  let text = "";
  let total = 0;
  let kept = 0;
  let previous = 0;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (data[row + c] > data[row + best]) best = c;
    if (best !== 0 && best !== previous) {
      text += alphabet[best];
      total += data[row + best];
      kept++;
    }
    previous = best;
  }
  return { text, score: kept ? total / kept : 0 };
}
