// Main thread: reads the text box, asks the engine, renders the report. Renders user text only through
// textContent / DOM nodes, never innerHTML. Stores nothing the user typed.
import { createEngine } from "./engine-client.js";
import { $, el } from "./ui/dom.js";
import { buildGuided as buildGuidedForm, stepThrough } from "./ui/guided.js";
import { readImages, startImageInput } from "./ui/image.js";
import { buildLearnView } from "./ui/learn.js";
import { checkerAddress, loadConfig, readMode, startEmbed, startKiosk, startPoster } from "./ui/modes.js";
import { clearReport, entitiesText, recordText, renderReport } from "./ui/result.js";

const TYPING_PAUSE_MS = 400;

const ui = {
  input: $("input"),
  check: $("check"),
  clear: $("clear"),
  status: $("status"),
  progress: $("load-progress"),
  retry: $("retry"),
  emptyNote: $("empty-note"),
  result: $("result"),
};

const { mode, idleSeconds, paper } = readMode();
document.documentElement.dataset.mode = mode;
const kiosk = mode === "kiosk";
const poster = mode === "poster";

let engineState = "loading";
let typingTimer = 0;
let lastReport = null;
let embed = null;

function setStatus(text, kind) {
  ui.status.textContent = text;
  ui.status.dataset.state = kind;
}

const megabytes = (n) => (n / 1048576).toFixed(1);

// Plain words while the checker gets ready: how much has arrived (and of how much, when the engine
// client knows), a bar, and that typing is welcome meanwhile. "准备好了" once ready: the tests wait for it.
function showLoading(s) {
  const bar = ui.progress;
  bar.hidden = false;
  if (s.message) {
    setStatus(s.message, "loading");
    bar.removeAttribute("value"); // a restart: no measure of how far it is
    return;
  }
  const bytes = Number(s.bytes) || 0;
  const total = Number(s.totalBytes) || 0;
  let amount = "";
  if (bytes > 0 && total >= bytes) amount = ` ${megabytes(bytes)} / ${megabytes(total)} MB`;
  else if (bytes > 0) amount = `，已载入 ${megabytes(bytes)} MB`;
  setStatus(`正在准备检查工具${amount}…可以先粘贴，准备好了会自动检查。`, "loading");
  if (total >= bytes && total > 0) {
    bar.max = total;
    bar.value = bytes;
  } else if (s.stage !== "start" && s.done > 0 && s.total > 0) {
    bar.max = s.total; // start-up steps done, of how many
    bar.value = Math.min(s.done, s.total);
  } else bar.removeAttribute("value"); // no measure yet: a moving bar, not a stuck one
}

function onEngineState(s) {
  engineState = s.state;
  ui.retry.hidden = s.state !== "failed";
  if (s.state === "loading") {
    showLoading(s);
    return;
  }
  ui.progress.hidden = true;
  if (s.state === "ready") {
    setStatus("准备好了", "ready");
    console.info("fanzha engine ready", s.timings);
  } else {
    // The engine client says what happened (a stalled download, a tampered rules file, an old browser).
    setStatus(s.message || "检查工具没能准备好，暂时无法检查。你输入的内容还在，可以点“重试”。", "failed");
    console.error("fanzha engine failed:", s.error);
  }
}

function revealResult() {
  const top = ui.result.getBoundingClientRect().top;
  if (top > window.innerHeight * 0.6) ui.result.scrollIntoView({ block: "start", behavior: "smooth" });
}

function clearResult() {
  clearReport();
  lastReport = null;
}

const EMPTY_NOTE = "框里还没有内容。请把对方发来的聊天记录复制、粘贴到上面的框里，或者用自己的话写下对方让你做什么，再点“检查”。";

/**
 * reveal: scroll the result into view (after a click, not while typing, so the box does not jump);
 * asked: the user pressed 检查, so an empty box gets an answer too.
 */
async function runCheck({ reveal = false, asked = false } = {}) {
  clearTimeout(typingTimer);
  const text = ui.input.value;
  if (!text.trim()) {
    clearResult();
    if (asked) {
      ui.emptyNote.textContent = EMPTY_NOTE;
      ui.input.focus();
    }
    return;
  }
  ui.emptyNote.textContent = "";
  if (!engine || engineState === "failed") return;
  try {
    const report = await engine.check(text, { knownContact: text === vouchedText });
    if (!report || text !== ui.input.value) return; // superseded by newer text
    lastReport = report;
    renderReport(report, text);
    if (reveal) revealResult();
    if (embed) embed.userChecked(report);
  } catch (err) {
    console.error("check failed:", err);
    if (engineState !== "failed") setStatus(err.userMessage || "这次检查出错了，请稍后再试。", "error");
  }
}

/** A check on behalf of an embedding parent: retried when the user's typing superseded it. */
async function checkForParent(text) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const report = await engine.check(text).catch(() => null);
    if (report) return report;
    if (engineState === "failed") return null;
  }
  return null;
}

// The poster checks nothing: the worker engine-start.js began is stopped, so printing is not slowed by Python.
if (poster && window.fanzhaPrestarted) {
  window.fanzhaPrestarted.worker.terminate();
  delete window.fanzhaPrestarted;
}
// Without WebAssembly, Python cannot run here at all: say so instead of loading forever.
const engine = !poster && typeof WebAssembly === "object" ? createEngine(onEngineState) : null;
if (!engine && !poster) {
  setStatus("这个浏览器太旧，不能在本机检查。请换用新版的手机或电脑浏览器。", "failed");
  ui.progress.hidden = true;
}

// --- views: check, guided, learn ---

const VIEWS = ["check", "guided", "learn"];
let currentView = "check";

/** In the kiosk, the guided questions are the start, with the box to type or paste into below them. */
function showView(name) {
  currentView = name;
  document.documentElement.dataset.view = name;
  for (const tab of document.querySelectorAll(".tab")) tab.setAttribute("aria-pressed", String(tab.dataset.view === name));
  for (const view of VIEWS) {
    $(`view-${view}`).hidden = !(view === name || (kiosk && name === "guided" && view === "check"));
  }
  if (name === "learn") checkerAddress(); // read config.json now, so a forward button need not wait for it
}
document.documentElement.dataset.view = currentView;

for (const tab of document.querySelectorAll(".tab")) {
  tab.addEventListener("click", () => showView(tab.dataset.view));
}

/** Puts text into the box (from the guided mode or an example), shows the checker and checks it. */
function loadAndCheck(text, { composed = false } = {}) {
  showView("check");
  ui.input.value = text;
  $("compose-note").hidden = !composed;
  clearResult();
  // Not on a kiosk: a focused text box opens the on-screen keyboard over the result.
  if (!kiosk) ui.input.focus({ preventScroll: true });
  runCheck({ reveal: true });
}

// --- guided mode ---

// The description guided mode wrote last, when its answers vouch for a known contact (ui/guided.js says
// why that is the answers' word and never the text's): checked with that fact while the box holds exactly
// this text. Once edited, it is ordinary text.
let vouchedText = null;

function buildGuided() {
  buildGuidedForm((text, { knownContact }) => {
    vouchedText = knownContact ? text : null;
    loadAndCheck(text, { composed: true });
  });
}

// --- learn ---

const canShare = () => typeof navigator.share === "function";

function buildLearn() {
  buildLearnView({ tryExample: (text) => loadAndCheck(text), copyText });
}

buildGuided();
buildLearn();

// --- the checker's own controls ---

ui.input.addEventListener("input", () => {
  $("compose-note").hidden = true;
  ui.emptyNote.textContent = "";
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => runCheck(), TYPING_PAUSE_MS);
});
ui.check.addEventListener("click", () => runCheck({ reveal: true, asked: true }));
ui.clear.addEventListener("click", () => {
  ui.input.value = "";
  ui.emptyNote.textContent = "";
  $("compose-note").hidden = true;
  clearResult();
  ui.input.focus();
});
ui.retry.addEventListener("click", () => {
  engine.restart();
  runCheck({ reveal: true }); // the text was kept; check it as soon as the new engine is ready
});

/** Copies text; true when it worked. */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (plain http on an intranet): copy through a selected, off-screen text box.
    const area = el("textarea", { class: "offscreen", "aria-hidden": "true", tabindex: "-1" });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

async function copyEntities() {
  if (!lastReport) return;
  const ok = await copyText(entitiesText(lastReport.entities));
  $("copy-status").textContent = ok ? "已复制，可以粘贴到备忘录或发给保卫部门。" : "没能复制，请手动抄下来。";
}
$("copy").addEventListener("click", copyEntities);

// The record goes nowhere by itself: the phone's share sheet (the user picks whom), or the clipboard.
if (canShare()) $("share").textContent = "发送检查记录";

async function shareRecord() {
  if (!lastReport) return;
  const status = $("share-status");
  const text = recordText(lastReport);
  if (canShare()) {
    try {
      await navigator.share({ title: "可疑信息检查记录", text });
      status.textContent = "";
      return;
    } catch (err) {
      if (err && err.name === "AbortError") return; // the user closed the share sheet
      // Not allowed here (an iframe, no user gesture left): copy instead.
    }
  }
  const ok = await copyText(text);
  status.textContent = ok
    ? "已复制检查记录，可以粘贴到微信或短信里，发给单位保卫部门或民警。"
    : "没能复制。可以点“打印”，或把上面的结论和对方的账号抄下来。";
}
$("share").addEventListener("click", shareRecord);

$("print").addEventListener("click", () => window.print());
// A printout carries everything: folded parts open for it and close again after.
let openedForPrint = [];
window.addEventListener("beforeprint", () => {
  openedForPrint = [...ui.result.querySelectorAll("details:not([open])")];
  for (const details of openedForPrint) details.open = true;
});
window.addEventListener("afterprint", () => {
  for (const details of openedForPrint) details.open = false;
  openedForPrint = [];
});

// --- large text: for older eyes, on a phone and in the kiosk ---

// Remembered on this device as "1" or nothing: an on/off choice, never anything typed. A kiosk keeps it in
// memory only, and each visitor starts with the usual size.
const LARGE_TEXT_KEY = "fanzha.large-text";
let largeText = false;

function setLargeText(on, remember) {
  largeText = on;
  document.documentElement.classList.toggle("large-text", on);
  $("large-text").setAttribute("aria-pressed", String(on));
  if (!remember) return;
  try {
    if (on) localStorage.setItem(LARGE_TEXT_KEY, "1");
    else localStorage.removeItem(LARGE_TEXT_KEY);
  } catch {
    // storage refused (private mode, policy): the choice lasts for this visit
  }
}

if (!kiosk) {
  try {
    setLargeText(localStorage.getItem(LARGE_TEXT_KEY) === "1", false);
  } catch {
    // no storage: the usual size
  }
}
$("large-text").addEventListener("click", () => setLargeText(!largeText, !kiosk));

// --- modes ---

let steps = null;

/** Kiosk: leave nothing of the last visitor on screen. */
function wipe() {
  clearTimeout(typingTimer);
  ui.input.value = "";
  $("compose-note").hidden = true;
  $("guided-form").reset();
  $("guided-status").textContent = "";
  clearResult();
  showView(kiosk ? "guided" : "check");
  if (steps) steps.reset();
  if (kiosk) setLargeText(false, false);
  $("copy-status").textContent = "";
  ui.emptyNote.textContent = "";
  window.scrollTo(0, 0);
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
}

/** The kiosk opens on the guided questions, one at a time, with the box to type or paste into below. */
function setUpKiosk() {
  const guidedTab = document.querySelector('.tab[data-view="guided"]');
  guidedTab.parentElement.prepend(guidedTab);
  guidedTab.textContent = "回答问题";
  guidedTab.setAttribute("aria-controls", "view-guided view-check");
  document.querySelector('.tab[data-view="check"]').textContent = "输入或粘贴";
  $("view-check").before($("view-guided"));
  $("lead").textContent = "对方让你转钱？点选下面几个问题，或者把对方的话输进来，看看是不是骗局。";
  $("guided-title").textContent = "回答几个问题";
  $("guided-title").setAttribute("tabindex", "-1");
  for (const id of ["step-count", "step-prev", "step-next"]) $(id).hidden = false;
  steps = stepThrough($("guided-questions"), { prev: $("step-prev"), next: $("step-next"), count: $("step-count") });
  $("kiosk-qr").hidden = false;
  ui.clear.textContent = "清空（用完请点）";
  // Touching the box on the start screen chooses typing or pasting: the questions make way for it.
  ui.input.addEventListener("focus", () => {
    if (currentView === "guided") showView("check");
  });
  showView("guided");
  startKiosk(idleSeconds, { wipe, wake: () => $("guided-title").focus({ preventScroll: true }) });
}

// Screenshots: everywhere but the poster; on a kiosk (a shared device) only when config.json turns it on.
if (!poster && engine) {
  const use = (transcript) => loadAndCheck(transcript);
  if (kiosk) loadConfig().then((config) => startImageInput({ use, enabled: config.kiosk_screenshots === true }));
  else startImageInput({ use, enabled: true });
}

if (kiosk) {
  setUpKiosk();
} else if (poster) {
  document.title = "防骗海报 · 转账前，查一查";
  $("main").hidden = true;
  $("poster").hidden = false;
  startPoster(paper);
} else if (mode === "embed" && engine) {
  embed = startEmbed({
    check: checkForParent,
    read: async (image) => (await readImages([image])).transcript,
    show: (text, report) => {
      showView("check");
      ui.input.value = text;
      lastReport = report;
      renderReport(report, text);
    },
  });
}
