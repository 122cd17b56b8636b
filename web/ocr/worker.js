// Screenshot reading, in a worker of its own: the only code that knows onnxruntime. Nothing here sends,
// stores or caches a picture; what it keeps (on first use, for offline) is the tools below, once checked.
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
import { createReader, release } from "./paddle.js";
import { sha256 } from "./sha256.js";

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

async function sri(bytes) {
  // A plain-http intranet page has no crypto.subtle: the tools are checked all the same.
  const digest = self.crypto?.subtle ? new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)) : sha256(bytes);
  return "sha256-" + btoa(String.fromCharCode(...digest));
}

const NOT_THIS_BUILD = (name) => new OcrError("download", `${name}: not the file this page was built with`);

/** A response's body straight into one buffer of the size the build recorded, checked by its hash. */
async function readChecked(name, response, { size, sri: expected }, count) {
  const bytes = new Uint8Array(size);
  let at = 0;
  const body = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await body.read();
      if (done) break;
      if (at + value.length > size) throw NOT_THIS_BUILD(name);
      bytes.set(value, at);
      at += value.length;
      count(value.length);
    }
    if (at !== size || (await sri(bytes)) !== expected) throw NOT_THIS_BUILD(name);
    return bytes;
  } catch (err) {
    count(-at); // a retry counts these bytes again
    throw err;
  }
}

// Checked downloads are kept in Cache Storage (TOOLS.cache, named by their hashes), so later screenshots,
// offline too, read them from there. This worker keeps them rather than the service worker: a copy kept
// by that one is a second 30 MB in the page's process while these load (the renderer's memory budget).
// No Cache Storage (a plain-http intranet page) just means downloading them each time.
async function openKept() {
  try {
    return self.caches ? await caches.open(TOOLS.cache) : null;
  } catch {
    return null;
  }
}

/** One tool file: the kept copy if it is intact, else downloaded (then `fresh`: worth keeping). */
async function fetchTool(kept, name, file, count) {
  const url = new URL(name, BASE).href;
  const cached = kept && (await kept.match(url).catch(() => undefined));
  if (cached) {
    try {
      return { url, bytes: await readChecked(name, cached, file, count), fresh: false };
    } catch {
      await kept.delete(url).catch(() => {}); // a damaged copy: download it again
    }
  }
  let response;
  try {
    response = await fetch(url);
  } catch {
    throw new OcrError("download", `${name}: no connection`);
  }
  if (!response.ok) throw new OcrError("download", `${name}: HTTP ${response.status}`);
  return { url, bytes: await readChecked(name, response, file, count), fresh: true };
}

/**
 * Every tool file, read as it arrives so the page can show bytes of the total; each checked by hash.
 * Returns {files: {name: bytes}, keeping}: keeping settles once fresh downloads are stored.
 */
async function download(report) {
  const entries = Object.entries(TOOLS.files);
  const total = entries.reduce((n, [, f]) => n + f.size, 0);
  let loaded = 0;
  let last = 0;
  const count = (n) => {
    loaded += n;
    if (Date.now() - last > PROGRESS_EVERY_MS) {
      last = Date.now();
      report(Math.max(0, Math.min(loaded, total)), total);
    }
  };
  const kept = await openKept();
  const got = await Promise.all(entries.map(([name, file]) => fetchTool(kept, name, file, count)));
  report(total, total);
  const keeping = Promise.all(
    got.map(({ url, bytes, fresh }) => (fresh && kept ? kept.put(url, new Response(bytes)).catch(() => {}) : null)),
  );
  return { files: Object.fromEntries(entries.map(([name], i) => [name, got[i].bytes])), keeping };
}

let reader = null; // a promise, made once

function loadReader(report) {
  reader ||= (async () => {
    const { files, keeping } = await download(report);
    try {
      return await createReader({
        wasm: files["vendor/ort-wasm-simd-threaded.wasm"],
        det: files["models/det.onnx"],
        rec: files["models/rec.onnx"],
        keys: new TextDecoder().decode(files["models/keys.txt"]),
        base: new URL("vendor/", BASE).href,
      });
    } finally {
      await keeping;
      Object.values(files).forEach(release); // in onnxruntime's memory and kept (30 MB): let go now
    }
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
      const lines = await ocr.read(tile);
      const pixels = imageData(tile); // after reading: its 12 MB need not wait through the models' peak
      const shot = describe(pixels, lines);
      release(pixels.data);
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
