// Main thread: reads the text box, asks the engine, renders the report. Renders user text only through
// textContent / DOM nodes, never innerHTML. Stores nothing the user typed.
import { FRAUD_TYPES, REMINDERS } from "./content/learn.js";
import { createEngine } from "./engine-client.js";
import { $, el } from "./ui/dom.js";
import { QUESTIONS, compose } from "./ui/guided.js";
import { readMode, startEmbed, startKiosk } from "./ui/modes.js";
import { clearReport, entitiesText, renderReport } from "./ui/result.js";

const TYPING_PAUSE_MS = 400;

const STAGE_LABELS = {
  start: "正在启动",
  runtime: "正在加载 Python 运行环境",
  packages: "正在安装中文分词组件",
  import: "正在载入检查程序",
  rules: "正在读取识别规则",
  warmup: "正在准备分词词典",
};

const ui = {
  input: $("input"),
  check: $("check"),
  clear: $("clear"),
  status: $("status"),
  retry: $("retry"),
  result: $("result"),
};

const { mode, idleSeconds } = readMode();
document.documentElement.dataset.mode = mode;

let engineState = "loading";
let typingTimer = 0;
let lastReport = null;
let embed = null;

function setStatus(text, kind) {
  ui.status.textContent = text;
  ui.status.dataset.state = kind;
}

function onEngineState(s) {
  engineState = s.state;
  ui.retry.hidden = s.state !== "failed";
  if (s.state === "loading") {
    const label = STAGE_LABELS[s.stage] || "正在加载";
    const step = s.stage === "start" ? "" : ` ${s.done + 1}/${s.total}`;
    setStatus(s.message || `正在加载检查引擎…${step}（${label}）。可以先输入，加载好后自动检查。`, "loading");
  } else if (s.state === "ready") {
    setStatus("已就绪", "ready");
    console.info("fanzha engine ready", s.timings);
  } else {
    // The engine client says what happened (a stalled download, a tampered rules file, an old browser).
    setStatus(s.message || "检查引擎加载失败，暂时无法检查。你输入的内容还在，可以点“重试”。", "failed");
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

/** reveal: scroll the result into view (after a click, not while typing, so the box does not jump). */
async function runCheck({ reveal = false } = {}) {
  clearTimeout(typingTimer);
  const text = ui.input.value;
  if (!text.trim()) {
    clearResult();
    return;
  }
  if (!engine || engineState === "failed") return;
  try {
    const report = await engine.check(text);
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

// Without WebAssembly, Python cannot run here at all: say so instead of loading forever.
const engine = typeof WebAssembly === "object" ? createEngine(onEngineState) : null;
if (!engine) setStatus("这个浏览器不支持 WebAssembly，无法在本机检查。请换用新版的手机或电脑浏览器。", "failed");

// --- views: check, guided, learn ---

function showView(name) {
  for (const tab of document.querySelectorAll(".tab")) {
    const on = tab.dataset.view === name;
    tab.setAttribute("aria-pressed", String(on));
    $(`view-${tab.dataset.view}`).hidden = !on;
  }
}

for (const tab of document.querySelectorAll(".tab")) {
  tab.addEventListener("click", () => showView(tab.dataset.view));
}

/** Puts text into the box (from the guided mode or an example), shows the checker and checks it. */
function loadAndCheck(text, { composed = false } = {}) {
  showView("check");
  ui.input.value = text;
  $("compose-note").hidden = !composed;
  clearResult();
  ui.input.focus({ preventScroll: true });
  runCheck({ reveal: true });
}

// --- guided mode ---

function buildGuided() {
  const fieldsets = QUESTIONS.map((question) => {
    const type = question.kind === "one" ? "radio" : "checkbox";
    const choices = question.choices.map((choice) => {
      const id = `q-${question.id}-${choice.value}`;
      return el(
        "div",
        { class: "choice" },
        el("input", { type, id, name: question.id, value: choice.value }),
        el("label", { for: id }, choice.label),
      );
    });
    return el("fieldset", { class: "question", "data-question": question.id }, el("legend", {}, question.legend), ...choices);
  });
  $("guided-questions").replaceChildren(...fieldsets);
  const form = $("guided-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const answers = {};
    for (const question of QUESTIONS) answers[question.id] = data.getAll(question.id).map(String);
    const text = compose(answers);
    if (!text) {
      $("guided-status").textContent = "请至少选一项，再生成描述。";
      return;
    }
    $("guided-status").textContent = "";
    loadAndCheck(text, { composed: true });
  });
  form.addEventListener("reset", () => {
    $("guided-status").textContent = "";
  });
}

// --- learn ---

function buildLearn() {
  $("reminders").replaceChildren(...REMINDERS.map((r) => el("li", {}, r)));
  const cards = FRAUD_TYPES.map((type) => {
    const button = el(
      "button",
      { type: "button", class: "secondary", "data-testid": "example", "data-type": type.id },
      "放进检查框试试",
    );
    button.addEventListener("click", () => loadAndCheck(type.example));
    return el(
      "article",
      { class: "type-card", "data-testid": "fraud-type", "data-type": type.id },
      el("h3", {}, type.name, type.notice ? el("span", { class: "badge" }, "通知列出") : ""),
      el("p", {}, type.looks),
      el("p", { class: "example-label" }, "聊天示例（编写的，不是真实记录）："),
      el("p", { class: "example" }, type.example),
      button,
      el("p", { class: "example-label" }, "警方提醒："),
      el("ul", { class: "police-advice" }, ...type.advice.map((a) => el("li", {}, a))),
    );
  });
  $("types").replaceChildren(...cards);
}

buildGuided();
buildLearn();

// --- the checker's own controls ---

ui.input.addEventListener("input", () => {
  $("compose-note").hidden = true;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => runCheck(), TYPING_PAUSE_MS);
});
ui.check.addEventListener("click", () => runCheck({ reveal: true }));
ui.clear.addEventListener("click", () => {
  ui.input.value = "";
  $("compose-note").hidden = true;
  clearResult();
  ui.input.focus();
});
ui.retry.addEventListener("click", () => {
  engine.restart();
  runCheck({ reveal: true }); // the text was kept; check it as soon as the new engine is ready
});

async function copyEntities() {
  if (!lastReport) return;
  const text = entitiesText(lastReport.entities);
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // No clipboard API (plain http on an intranet): copy through a selected, off-screen text box.
    const area = el("textarea", { class: "offscreen", "aria-hidden": "true", tabindex: "-1" });
    area.value = text;
    document.body.append(area);
    area.select();
    ok = document.execCommand("copy");
    area.remove();
  }
  $("copy-status").textContent = ok ? "已复制，可以粘贴到备忘录或发给保卫部门。" : "没能复制，请手动抄下来。";
}
$("copy").addEventListener("click", copyEntities);

$("print").addEventListener("click", () => window.print());
window.addEventListener("beforeprint", () => {
  $("print-time").textContent = new Date().toLocaleString("zh-CN", { hour12: false });
});

// --- modes ---

/** Kiosk: leave nothing of the last visitor on screen. */
function wipe() {
  clearTimeout(typingTimer);
  ui.input.value = "";
  $("compose-note").hidden = true;
  $("guided-form").reset();
  clearResult();
  showView("check");
  $("copy-status").textContent = "";
  window.scrollTo(0, 0);
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
}

if (mode === "kiosk") {
  ui.clear.textContent = "清空（用完请点）";
  startKiosk(idleSeconds, wipe);
} else if (mode === "embed" && engine) {
  embed = startEmbed({
    check: checkForParent,
    show: (text, report) => {
      showView("check");
      ui.input.value = text;
      lastReport = report;
      renderReport(report, text);
    },
  });
}
