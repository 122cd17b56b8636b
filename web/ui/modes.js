// Modes by URL: the phone page (default), ?mode=kiosk (lobby touch screen), ?mode=embed (inside an iframe).
import { FRAUD_TYPES } from "../content/learn.js";
import { $, el } from "./dom.js";

const BOARD_SLIDE_MS = 8000;
const DEFAULT_IDLE_S = 60;

/** @returns {{mode: "phone" | "kiosk" | "embed", idleSeconds: number}} */
export function readMode(search = location.search) {
  const params = new URLSearchParams(search);
  const asked = params.get("mode");
  const mode = asked === "kiosk" || asked === "embed" ? asked : "phone";
  const idle = Number(params.get("idle"));
  const idleSeconds = Number.isFinite(idle) && idle >= 1 && idle <= 86400 ? idle : DEFAULT_IDLE_S;
  return { mode, idleSeconds };
}

// --- kiosk ---

/**
 * After idleSeconds without a touch or key, wipe() clears text and results, and a publicity board cycles
 * through the common fraud types until someone touches the screen.
 */
export function startKiosk(idleSeconds, wipe) {
  let idleTimer = 0;
  let slideTimer = 0;
  let slide = 0;
  const board = $("board");

  function showSlide() {
    const type = FRAUD_TYPES[slide % FRAUD_TYPES.length];
    slide += 1;
    $("board-title").textContent = `小心“${type.name}”诈骗`;
    $("board-looks").textContent = type.looks;
    $("board-advice").replaceChildren(...type.advice.map((a) => el("li", {}, a)));
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

  function onIdle() {
    wipe();
    showBoard();
  }

  function touched(event) {
    if (!board.hidden) {
      hideBoard();
      // The touch that wakes the board only wakes it; it should not also press what lies beneath.
      if (event.type === "pointerdown") event.preventDefault();
      $("input").focus();
    }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(onIdle, idleSeconds * 1000);
  }

  for (const type of ["pointerdown", "keydown", "input", "wheel", "touchstart"]) {
    document.addEventListener(type, touched, { capture: true, passive: type !== "pointerdown" });
  }
  idleTimer = setTimeout(onIdle, idleSeconds * 1000);
}

// --- embed ---

/** The deployment's list of parent origins allowed to receive what the user types (web/config.json). */
export async function loadEmbedConfig() {
  try {
    const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-cache" });
    if (!response.ok) return [];
    const config = await response.json();
    const list = Array.isArray(config.embed_allowed_origins) ? config.embed_allowed_origins : [];
    // Exact origins only: "*" or a path would defeat the point.
    return list.filter((o) => typeof o === "string" && /^https?:\/\/[^/\s*]+$/.test(o));
  } catch {
    return [];
  }
}

function isCheckMessage(data) {
  return (
    data !== null &&
    typeof data === "object" &&
    !Array.isArray(data) &&
    data.type === "fanzha:check" &&
    typeof data.text === "string" &&
    (data.id === undefined || typeof data.id === "string" || Number.isFinite(data.id)) &&
    (data.show === undefined || typeof data.show === "boolean")
  );
}

/**
 * Embed protocol (docs/embed.md):
 *   parent -> iframe {type: "fanzha:check", text, id?, show?}
 *   iframe -> that same window and origin {type: "fanzha:result", report, id?}
 *   iframe -> parent {type: "fanzha:height", px} whenever the page's height changes
 *   iframe -> parent {type: "fanzha:result", report, trigger: "user"} after the user's own check, only to
 *     origins listed in config.json's embed_allowed_origins (the browser enforces the target origin).
 * @param {{check: (text: string) => Promise<object>, show: (text: string, report: object) => void}} hooks
 */
export function startEmbed({ check, show }) {
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
    const { text, id, show: display } = event.data;
    const report = await check(text);
    if (!report) return;
    if (display) show(text, report);
    const reply = { type: "fanzha:result", report };
    if (id !== undefined) reply.id = id;
    source.postMessage(reply, event.origin);
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
