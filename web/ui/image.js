// Screenshots in: the picker, a pasted or dropped picture, and an embedding parent's image go to the OCR
// worker (web/ocr/worker.js), which is started on first use only. The picture stays in memory on this
// device: it is never sent, stored or cached. What the worker reads goes into the text box to be checked.
import { $ } from "./dom.js";

// onnxruntime-web's own test for WebAssembly SIMD, which its only build needs (a v128 constant and a
// lane operation). Without it the worker could not start at all, so the page says so first.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 30, 1, 28, 0, 65, 0, 253, 15, 253, 12, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 186, 1, 26, 11,
]);
// Reading a phone screenshot takes about half a gigabyte; devices that report less than this cannot.
const MIN_DEVICE_MEMORY_GB = 1;

export const MESSAGES = {
  simd: "这个浏览器不能在本机识别截图（它不支持 WebAssembly SIMD）。请换用新版浏览器，或者把聊天文字复制、粘贴到框里。",
  memory: "这台设备的内存不够，读不了截图。请把聊天文字复制、粘贴到框里，或者用自己的话写下对方让你做什么。",
  download: "识别截图的工具没能下载下来，可能是网络断了。可以稍后再选一次截图，或者直接把文字粘贴到框里。",
  image: "这张图片打不开。请选手机截下的聊天截图（PNG 或 JPG）。",
  notext: "截图里没有找到文字。请选聊天界面的截图，或者把文字粘贴到框里。",
  failed: "读截图时出错了。可以再选一次，或者把聊天文字粘贴到框里。",
};

const megabytes = (n) => (n / 1048576).toFixed(1);

/** Why screenshots cannot be read here, or null when they can. */
export function unsupportedReason() {
  if (typeof WebAssembly !== "object" || typeof OffscreenCanvas !== "function") return "simd";
  try {
    if (!WebAssembly.validate(SIMD_PROBE)) return "simd";
  } catch {
    return "simd";
  }
  const memory = navigator.deviceMemory; // Chromium only; others are not refused on a guess
  if (typeof memory === "number" && memory < MIN_DEVICE_MEMORY_GB) return "memory";
  return null;
}

let worker = null;
let nextId = 1;

/**
 * Reads screenshots of one chat, in order. onEvent gets the worker's progress and reading messages.
 * Resolves {transcript, items, ms}; rejects with an Error whose `reason` names a key of MESSAGES.
 */
export function readImages(images, onEvent = () => {}, { detail = false } = {}) {
  const reason = unsupportedReason();
  if (reason) return Promise.reject(Object.assign(new Error(reason), { reason }));
  worker ||= new Worker(new URL("../ocr/worker.js", import.meta.url), { type: "module" });
  const w = worker;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    // Both listeners go when this request ends, so a long session's reads leave none behind.
    const settle = (fn, value) => {
      w.removeEventListener("message", onMessage);
      w.removeEventListener("error", onError);
      fn(value);
    };
    const onMessage = (event) => {
      const msg = event.data;
      if (!msg || msg.id !== id) return;
      if (msg.type === "done") settle(resolve, msg);
      else if (msg.type === "error") settle(reject, Object.assign(new Error(msg.message), { reason: msg.reason }));
      else onEvent(msg);
    };
    const onError = () => {
      if (worker === w) worker = null; // the module failed to load: a fresh one next time
      settle(reject, Object.assign(new Error("OCR worker failed to start"), { reason: "download" }));
    };
    w.addEventListener("message", onMessage);
    w.addEventListener("error", onError);
    w.postMessage({ id, images, detail });
  });
}

/** The picture files among a paste's or a drop's items. */
const imagesOf = (list) => [...(list || [])].filter((f) => f && f.type && f.type.startsWith("image/"));

/**
 * The page's screenshot input. `use(transcript)` puts the text in the box and checks it.
 * In the kiosk it stays off unless config.json's "kiosk_screenshots" is true (a shared device).
 */
export function startImageInput({ use, enabled }) {
  const picker = $("image");
  const status = $("image-status");
  const bar = $("image-progress");
  const box = $("input");
  $("image-block").hidden = !enabled;
  if (!enabled) return;

  function say(text, state) {
    status.textContent = text;
    status.dataset.state = state;
  }

  function onEvent(msg) {
    if (msg.type === "progress") {
      bar.hidden = false;
      bar.max = msg.total;
      bar.value = msg.loaded;
      say(`第一次读截图，正在下载识别工具 ${megabytes(msg.loaded)} / ${megabytes(msg.total)} MB（只需下载一次）…`, "loading");
    } else if (msg.type === "reading") {
      bar.hidden = false;
      bar.max = msg.total;
      bar.value = msg.done;
      const which = msg.total > 1 ? `第 ${msg.done + 1} / ${msg.total} 张` : "";
      say(`正在本机识别截图${which}…`, "loading");
    }
  }

  async function read(files) {
    if (!files.length) return;
    say("正在本机识别截图…", "loading");
    bar.hidden = false;
    bar.removeAttribute("value");
    try {
      const { transcript } = await readImages(files, onEvent);
      say(
        `已从${files.length > 1 ? ` ${files.length} 张` : ""}截图认出文字，放在上面的框里并检查了。请对照截图看一看：有认错的字，改了再点“检查”。`,
        "done",
      );
      use(transcript);
    } catch (err) {
      say(MESSAGES[err.reason] || MESSAGES.failed, "failed");
      console.error("screenshot reading failed:", err);
    } finally {
      bar.hidden = true;
      picker.value = ""; // the same file may be chosen again
    }
  }

  picker.addEventListener("change", () => read([...picker.files]));
  // A picture pasted (desktop) or dropped on the box is read the same way; pasted text is left alone.
  box.addEventListener("paste", (event) => {
    const files = imagesOf(event.clipboardData && event.clipboardData.files);
    if (!files.length) return;
    event.preventDefault();
    read(files);
  });
  box.addEventListener("dragover", (event) => {
    if ([...(event.dataTransfer?.items || [])].some((it) => it.kind === "file")) event.preventDefault();
  });
  box.addEventListener("drop", (event) => {
    const files = imagesOf(event.dataTransfer && event.dataTransfer.files);
    if (!files.length) return;
    event.preventDefault();
    read(files);
  });
}
