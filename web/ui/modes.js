// Modes by URL: the phone page (default), ?mode=kiosk (lobby touch screen), ?mode=embed (inside an iframe),
// ?mode=poster (a poster to print). Also what kiosk and poster share: the unit's settings (config.json) and the
// QR code to the checker, made on the device by the vendored qrcode-generator (no QR service, no request).
import { CALL_LINE, FRAUD_TYPES, REMINDERS } from "../content/learn.js";
import { $, el } from "./dom.js";

const BOARD_SLIDE_MS = 8000;
const DEFAULT_IDLE_S = 60;
const MODES = ["kiosk", "embed", "poster"];
const PAPERS = ["a4", "a3"];
// URL parameters that choose a mode's screen; the checker's own address leaves them out.
const MODE_PARAMS = ["mode", "idle", "size"];

/** @returns {{mode: "phone" | "kiosk" | "embed" | "poster", idleSeconds: number, paper: "a4" | "a3"}} */
export function readMode(search = location.search) {
  const params = new URLSearchParams(search);
  const asked = params.get("mode");
  const mode = MODES.includes(asked) ? asked : "phone";
  const idle = Number(params.get("idle"));
  const idleSeconds = Number.isFinite(idle) && idle >= 1 && idle <= 86400 ? idle : DEFAULT_IDLE_S;
  const size = (params.get("size") || "").toLowerCase();
  return { mode, idleSeconds, paper: PAPERS.includes(size) ? size : "a4" };
}

// --- the deployment's settings (web/config.json) ---

let configPromise = null;

/** config.json as an object ({} when missing or broken); fetched once. */
export function loadConfig() {
  configPromise ||= (async () => {
    try {
      const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-cache" });
      if (!response.ok) return {};
      const config = await response.json();
      return config !== null && typeof config === "object" && !Array.isArray(config) ? config : {};
    } catch {
      return {};
    }
  })();
  return configPromise;
}

/** The unit's name for the poster ("" when not set). */
export async function unitName() {
  const name = (await loadConfig()).unit_name;
  return typeof name === "string" ? name.trim().slice(0, 60) : "";
}

/**
 * The checker's address for QR codes and forwarded messages: config.json's public_url when it is an http(s)
 * address, else this page's own address without the mode's parameters. ASCII (a host in punycode, a path
 * percent-encoded), so any QR reader reads it as a link.
 */
export async function checkerAddress() {
  const configured = (await loadConfig()).public_url;
  if (typeof configured === "string" && configured.trim()) {
    try {
      const url = new URL(configured.trim());
      if ((url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password) {
        return url.href;
      }
    } catch {
      // not an address: fall back to the page's own
    }
  }
  const own = new URL(location.href);
  own.hash = "";
  for (const name of MODE_PARAMS) own.searchParams.delete(name);
  if ([...own.searchParams].length === 0) own.search = "";
  return own.href;
}

// --- QR codes ---

const SVG_NS = "http://www.w3.org/2000/svg";
const QUIET_MODULES = 4; // the blank margin a reader needs around the code
let qrLibrary = null;

/** The vendored library (dist/vendor/qrcode.mjs), imported the first time a QR code is drawn. */
function qrFactory() {
  qrLibrary ||= import("../vendor/qrcode.mjs").then((module) => module.default);
  return qrLibrary;
}

/** An inline SVG of the QR code for text: one path of dark runs, crisp at any size, on screen and on paper. */
function qrSvg(qrcode, text, label) {
  const qr = qrcode(0, "M"); // the smallest version that holds the text; M: 15 % may be dirty or torn
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const size = count + 2 * QUIET_MODULES;
  let path = "";
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; ) {
      if (!qr.isDark(row, col)) {
        col++;
        continue;
      }
      let run = 1;
      while (col + run < count && qr.isDark(row, col + run)) run++;
      path += `M${col + QUIET_MODULES} ${row + QUIET_MODULES}h${run}v1h-${run}z`;
      col += run;
    }
  }
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  const paper = document.createElementNS(SVG_NS, "rect");
  paper.setAttribute("width", String(size));
  paper.setAttribute("height", String(size));
  paper.setAttribute("fill", "#fff");
  const ink = document.createElementNS(SVG_NS, "path");
  ink.setAttribute("d", path);
  ink.setAttribute("fill", "#000");
  svg.append(paper, ink);
  return svg;
}

/**
 * Draws a QR code of address into each holder. Without the library (an offline kiosk reloaded before it was
 * ever fetched) the holders say to type the address, which the page shows beside them anyway.
 * @param {HTMLElement[]} holders
 */
export async function drawQr(holders, address) {
  const label = `二维码：${address}`;
  try {
    const qrcode = await qrFactory();
    for (const holder of holders) {
      holder.replaceChildren(qrSvg(qrcode, address, label));
      holder.dataset.address = address;
    }
  } catch (err) {
    console.warn("QR code not drawn:", err && err.message);
    for (const holder of holders) {
      holder.replaceChildren(el("p", { class: "qr-failed" }, "二维码没能生成，请在手机浏览器里输入下面的地址。"));
    }
  }
}

// --- kiosk ---

/**
 * After idleSeconds without a touch or key, wipe() clears text and results, and a publicity board cycles
 * through the four reminders and the common fraud types until someone touches the screen. When a visitor
 * has used the screen, a countdown shows first (its last seconds); a touch cancels it.
 * @param {number} idleSeconds
 * @param {{wipe: () => void, wake: () => void}} hooks  wake: a touch ended the board
 */
export function startKiosk(idleSeconds, { wipe, wake }) {
  const countdownSeconds = Math.min(10, Math.max(1, Math.round(idleSeconds / 3)));
  let idleTimer = 0;
  let tickTimer = 0;
  let slideTimer = 0;
  let slide = 0;
  let visited = false; // someone touched the screen since it was last wiped
  const board = $("board");
  const countdown = $("countdown");
  const slides = [null, ...FRAUD_TYPES]; // null: the four reminders

  function showSlide() {
    const type = slides[slide % slides.length];
    slide += 1;
    if (type === null) {
      $("board-title").textContent = "时刻提醒自己";
      $("board-looks").textContent = "";
      $("board-advice").replaceChildren(...REMINDERS.map((r) => el("li", {}, r)));
    } else {
      $("board-title").textContent = `小心“${type.name}”诈骗`;
      $("board-looks").textContent = type.looks;
      $("board-advice").replaceChildren(...type.advice.map((a) => el("li", {}, a)));
    }
    $("board-call").textContent = CALL_LINE;
  }

  function showBoard() {
    slide = 0;
    showSlide();
    board.hidden = false;
    document.body.classList.add("board-on");
    slideTimer = setInterval(showSlide, BOARD_SLIDE_MS);
  }

  function hideBoard() {
    clearInterval(slideTimer);
    board.hidden = true;
    document.body.classList.remove("board-on");
  }

  function hideCountdown() {
    clearInterval(tickTimer);
    countdown.hidden = true;
  }

  function goIdle() {
    hideCountdown();
    visited = false;
    wipe();
    showBoard();
  }

  function startCountdown() {
    let left = countdownSeconds;
    $("countdown-seconds").textContent = String(left);
    countdown.hidden = false;
    tickTimer = setInterval(() => {
      left -= 1;
      if (left <= 0) goIdle();
      else $("countdown-seconds").textContent = String(left);
    }, 1000);
  }

  function armIdle() {
    clearTimeout(idleTimer);
    if (visited) idleTimer = setTimeout(startCountdown, (idleSeconds - countdownSeconds) * 1000);
    else idleTimer = setTimeout(goIdle, idleSeconds * 1000);
  }

  function touched(event) {
    // A touch that wakes the board or cancels the countdown does only that; it should not also press what
    // lies beneath.
    const swallow = !board.hidden || !countdown.hidden;
    if (!board.hidden) {
      hideBoard();
      wake();
    }
    hideCountdown();
    if (swallow && event.type === "pointerdown") event.preventDefault();
    visited = true;
    armIdle();
  }

  for (const type of ["pointerdown", "keydown", "input", "wheel", "touchstart"]) {
    document.addEventListener(type, touched, { capture: true, passive: type !== "pointerdown" });
  }
  armIdle();

  checkerAddress().then((address) => {
    $("kiosk-qr-address").textContent = address;
    const holder = $("kiosk-qr-code");
    holder.dataset.testid = "qr";
    drawQr([holder, $("board-qr")], address);
  });
}

// --- poster ---

/** The notice's six types, one line each on the poster: name and the tell-tale sign. */
export const POSTER_TYPES = FRAUD_TYPES.filter((type) => type.notice);

/**
 * The poster (?mode=poster): one A4 or A3 sheet for corridors and stairwells, with the unit's name, the four
 * reminders, the six types, 110 / 96110 and a QR code to the checker. Printed with the browser's own print;
 * the paper size is chosen on the page and sets @page (style.css: named pages poster-a4 and poster-a3).
 */
export function startPoster(paper) {
  const select = $("poster-size");
  function setPaper(value) {
    const chosen = PAPERS.includes(value) ? value : "a4";
    document.documentElement.dataset.paper = chosen;
    select.value = chosen;
    const url = new URL(location.href);
    url.searchParams.set("size", chosen);
    history.replaceState(null, "", url);
  }
  setPaper(paper);
  select.addEventListener("change", () => setPaper(select.value));
  $("poster-print").addEventListener("click", () => window.print());

  // Each reminder's first clause in bold: what to remember when there is no time to read on.
  $("sheet-reminders").replaceChildren(
    ...REMINDERS.map((text) => {
      const cut = text.search(/[：；]/) + 1 || text.length;
      return el("li", {}, el("strong", {}, text.slice(0, cut)), text.slice(cut));
    }),
  );
  $("sheet-types").replaceChildren(
    ...POSTER_TYPES.map((type) =>
      el("li", { "data-type": type.id }, el("strong", {}, type.name), el("span", {}, type.tell)),
    ),
  );

  unitName().then((name) => {
    $("sheet-unit").textContent = name ? `${name}提醒您` : "＿＿＿＿＿＿＿＿＿＿ 提醒您";
    $("poster-unit-note").hidden = Boolean(name);
  });
  checkerAddress().then((address) => {
    $("sheet-address").textContent = address;
    const holder = $("sheet-qr");
    holder.dataset.testid = "qr";
    drawQr([holder], address);
  });
}

// --- embed ---

/** The deployment's list of parent origins allowed to receive what the user types (web/config.json). */
export async function loadEmbedConfig() {
  const config = await loadConfig();
  const list = Array.isArray(config.embed_allowed_origins) ? config.embed_allowed_origins : [];
  // Exact origins only: "*" or a path would defeat the point.
  return list.filter((o) => typeof o === "string" && /^https?:\/\/[^/\s*]+$/.test(o));
}

function isCheckMessage(data) {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return false;
  const text = data.type === "fanzha:check" && typeof data.text === "string";
  const image = data.type === "fanzha:check-image" && (data.image instanceof Blob || data.image instanceof ArrayBuffer);
  return (
    (text || image) &&
    (data.id === undefined || typeof data.id === "string" || Number.isFinite(data.id)) &&
    (data.show === undefined || typeof data.show === "boolean")
  );
}

/**
 * Embed protocol (docs/embed.md):
 *   parent -> iframe {type: "fanzha:check", text, id?, show?}
 *   parent -> iframe {type: "fanzha:check-image", image: Blob | ArrayBuffer, id?, show?}  a chat screenshot,
 *     read on this device; the reply also carries the text read from it
 *   iframe -> that same window and origin {type: "fanzha:result", report, id?, text?}; for a screenshot that
 *     could not be read, {type: "fanzha:result", report: null, error: reason, id?}
 *   iframe -> parent {type: "fanzha:height", px} whenever the page's height changes
 *   iframe -> parent {type: "fanzha:result", report, trigger: "user"} after the user's own check, only to
 *     origins listed in config.json's embed_allowed_origins (the browser enforces the target origin).
 * @param {{check: (text: string) => Promise<object>, read: (image: Blob | ArrayBuffer) => Promise<string>,
 *   show: (text: string, report: object) => void}} hooks
 */
export function startEmbed({ check, read, show }) {
  const framed = window.parent !== window;
  let lastHeight = 0;
  const main = $("main");

  function postHeight() {
    const px = Math.ceil(main.getBoundingClientRect().height);
    if (!framed || px === lastHeight) return;
    lastHeight = px;
    // A number only, no user text: any parent may know how tall to make the frame.
    window.parent.postMessage({ type: "fanzha:height", px }, "*");
  }
  new ResizeObserver(postHeight).observe(main);
  postHeight();

  window.addEventListener("message", async (event) => {
    const source = event.source;
    // An opaque ("null") origin cannot be addressed without "*": such senders get no answer.
    if (!source || source === window || event.origin === "null" || !isCheckMessage(event.data)) return;
    const { id, show: display } = event.data;
    const reply = { type: "fanzha:result" };
    if (id !== undefined) reply.id = id;
    let text = event.data.text;
    if (event.data.type === "fanzha:check-image") {
      try {
        text = await read(event.data.image);
      } catch (err) {
        source.postMessage({ ...reply, report: null, error: err.reason || "failed" }, event.origin);
        return;
      }
      reply.text = text;
    }
    const report = await check(text);
    if (!report) return;
    if (display) show(text, report);
    source.postMessage({ ...reply, report }, event.origin);
  });

  const allowed = loadEmbedConfig();
  return {
    /** After the user's own check: tell the parent only when the deployment allows its origin. */
    async userChecked(report) {
      if (!framed) return;
      // Where the browser tells us the parent's origin, skip the others (each would log a mismatch).
      const parent = location.ancestorOrigins ? location.ancestorOrigins[0] : undefined;
      for (const origin of await allowed) {
        if (parent !== undefined && parent !== origin) continue;
        window.parent.postMessage({ type: "fanzha:result", report, trigger: "user" }, origin);
      }
    },
  };
}
