// Screenshot reading, in a worker of its own: the only code that knows onnxruntime. Nothing here sends,
// stores or caches a picture; the service worker keeps only the tools below (on first use, for offline).
//
// Protocol (one request at a time; web/ui/image.js):
//   page -> worker {id, images: [Blob | ArrayBuffer, ...], detail?}   screenshots of one chat, in order;
//     detail: also return each screenshot's lines with their boxes and colours (bench/ocr.py)
//   worker -> page {id, type: "progress", loaded, total}     bytes of the tools, on first use
//   worker -> page {id, type: "reading", done, total}        screenshots read so far
//   worker -> page {id, type: "done", transcript, items, ms, shots?}
//   worker -> page {id, type: "error", reason, message}      reason: download | memory | image | notext | failed
import { describe } from "./colours.js";
import { layout, mergeShots, toTranscript } from "./layout.js";
import { createReader } from "./paddle.js";

// build.py (tools/builder/ocr.py) replaces this with {ort, files: {path under ocr/: {size, sri}}}.
const TOOLS = "__FANZHA_OCR_FILES__";
const BASE = new URL("./", self.location.href);
const PROGRESS_EVERY_MS = 150;

class OcrError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

async function sri(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return "sha256-" + btoa(String.fromCharCode(...digest));
}

/** Every tool file, read as it arrives so the page can show bytes of the total; each checked by hash. */
async function download(report) {
  const entries = Object.entries(TOOLS.files);
  const total = entries.reduce((n, [, f]) => n + f.size, 0);
  let loaded = 0;
  let last = 0;
  const fetchOne = async ([name, { size, sri: expected }]) => {
    let response;
    try {
      response = await fetch(new URL(name, BASE));
    } catch {
      throw new OcrError("download", `${name}: no connection`);
    }
    if (!response.ok) throw new OcrError("download", `${name}: HTTP ${response.status}`);
    // Straight into one buffer of the size the build recorded: no list of chunks copied again at the end.
    const bytes = new Uint8Array(size);
    let at = 0;
    const body = response.body.getReader();
    for (;;) {
      const { done, value } = await body.read();
      if (done) break;
      if (at + value.length > size) throw new OcrError("download", `${name}: not the file this page was built with`);
      bytes.set(value, at);
      at += value.length;
      loaded += value.length;
      if (Date.now() - last > PROGRESS_EVERY_MS) {
        last = Date.now();
        report(Math.min(loaded, total), total);
      }
    }
    if (at !== size || (await sri(bytes)) !== expected) throw new OcrError("download", `${name}: not the file this page was built with`);
    return [name, bytes];
  };
  const files = Object.fromEntries(await Promise.all(entries.map(fetchOne)));
  report(total, total);
  return files;
}

let reader = null; // a promise, made once

function loadReader(report) {
  reader ||= (async () => {
    const files = await download(report);
    return createReader({
      wasm: files["vendor/ort-wasm-simd-threaded.wasm"],
      det: files["models/det.onnx"],
      rec: files["models/rec.onnx"],
      keys: new TextDecoder().decode(files["models/keys.txt"]),
      base: new URL("vendor/", BASE).href,
    });
  })();
  reader.catch(() => {
    reader = null; // a failed download may be retried
  });
  return reader;
}

async function open(image) {
  try {
    return await createImageBitmap(image instanceof Blob ? image : new Blob([image]));
  } catch {
    throw new OcrError("image", "not an image this browser can open");
  }
}

function imageData(bitmap) {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

// A scrolling screenshot (滚动截屏) can be many screens tall: shrunk whole to the detector's 960 px its text
// would vanish. It is read as phone-screen-sized tiles that overlap, merged like separate screenshots.
const TILE_HEIGHT = 2.2; // of the width: a phone screen
const TILE_OVERLAP = 0.5; // of the width: more than the top band layout.js keeps for a title bar

async function tiles(bitmap) {
  const { width, height } = bitmap;
  const tall = Math.round(width * TILE_HEIGHT);
  if (height <= tall * 1.25) return [bitmap];
  const step = tall - Math.round(width * TILE_OVERLAP);
  const out = [];
  for (let top = 0; top < height; top += step) {
    const h = Math.min(tall, height - top);
    out.push(await createImageBitmap(bitmap, 0, top, width, h));
    if (top + h >= height) break;
  }
  return out;
}

async function readAll(id, images, detail) {
  const started = performance.now();
  const ocr = await loadReader((loaded, total) => postMessage({ id, type: "progress", loaded, total }));
  const shots = [];
  const described = [];
  for (let i = 0; i < images.length; i++) {
    postMessage({ id, type: "reading", done: i, total: images.length });
    const bitmap = await open(images[i]);
    const parts = await tiles(bitmap);
    for (const [n, tile] of parts.entries()) {
      const shot = describe(imageData(tile), await ocr.read(tile));
      if (tile !== bitmap) tile.close();
      if (detail) described.push(shot);
      shots.push(layout(shot, { continued: n > 0 }));
    }
    bitmap.close();
  }
  const items = mergeShots(shots);
  if (!items.some((it) => it.kind === "message" || it.kind === "system")) throw new OcrError("notext", "no text found");
  const result = { transcript: toTranscript(items), items, ms: Math.round(performance.now() - started) };
  return detail ? { ...result, shots: described } : result;
}

function reasonOf(err) {
  if (err instanceof OcrError) return err.reason;
  // Allocation failures surface as RangeErrors or as wasm aborts that name memory.
  if (err instanceof RangeError || /memory|alloc/i.test(String(err && err.message))) return "memory";
  return "failed";
}

self.addEventListener("message", async (event) => {
  const { id, images, detail } = event.data || {};
  if (!Array.isArray(images) || images.length === 0) return;
  try {
    postMessage({ id, type: "done", ...(await readAll(id, images, Boolean(detail))) });
  } catch (err) {
    postMessage({ id, type: "error", reason: reasonOf(err), message: String((err && err.message) || err) });
  }
});
