// Main thread: reads the text box, asks the engine, renders the report. Renders user text only through
// textContent / DOM nodes, never innerHTML.
import { createEngine } from "./engine-client.js";

const TYPING_PAUSE_MS = 400;

const VERDICTS = {
  high: { text: "很可能是诈骗，先不要转账", note: "下面这些说法是常见的诈骗手法。先停下，用你原来就有的电话或当面核实。" },
  medium: { text: "有可疑之处，请先核实", note: "有些说法和常见诈骗手法相似。转账前，当面或打你原来就有的电话核实。" },
  low: { text: "未发现明显诈骗特征", note: "有几处值得留意。凡是要求转账、汇款的，仍请先当面或打电话核实。" },
  none: { text: "未发现诈骗特征", note: "这只说明没有发现已知的诈骗说法。凡是要求转账、汇款的，仍请先当面或打电话核实。" },
};

const CATEGORIES = {
  investment: "投资理财诈骗",
  loan: "贷款诈骗",
  brushing: "刷单返利诈骗",
  impersonate_police: "冒充公检法诈骗",
  impersonate_leader: "冒充领导、熟人诈骗",
  fake_customer_service: "冒充客服诈骗",
  credit_repair: "注销校园贷、修复征信诈骗",
  fake_shopping: "虚假购物诈骗",
  game_trade: "游戏交易诈骗",
  romance: "网络交友诈骗",
  flight_refund: "机票退改签诈骗",
  other: "其他诈骗",
};

const SEVERITIES = { high: "高风险", medium: "中风险", low: "低风险" };

const ENTITY_LABELS = {
  accounts: "账号",
  phones: "电话",
  urls: "网址",
  amounts: "金额",
  apps: "软件",
  contacts: "联系方式",
};

const STAGE_LABELS = {
  start: "正在启动",
  runtime: "正在加载 Python 运行环境",
  packages: "正在安装中文分词组件",
  import: "正在载入检查程序",
  rules: "正在读取识别规则",
  warmup: "正在准备分词词典",
};

const $ = (id) => document.getElementById(id);
const ui = {
  input: $("input"),
  check: $("check"),
  clear: $("clear"),
  status: $("status"),
  retry: $("retry"),
  result: $("result"),
  verdict: $("verdict"),
  verdictNote: $("verdict-note"),
  findingsBlock: $("findings-block"),
  findings: $("findings"),
  adviceBlock: $("advice-block"),
  advice: $("advice"),
  entitiesBlock: $("entities-block"),
  entities: $("entities"),
};

let engineState = "loading";
let typingTimer = 0;

/** Makes an element with attributes and children (strings become text nodes, never HTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

/** Evidence offsets count code points (Python); JS strings index UTF-16 units. */
function sliceCodePoints(codePoints, start, end) {
  return codePoints.slice(start, end).join("");
}

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
    setStatus(`正在加载检查引擎…${step}（${label}）。可以先输入，加载好后自动检查。`, "loading");
  } else if (s.state === "ready") {
    setStatus("已就绪", "ready");
    console.info("fanzha engine ready", s.timings);
  } else {
    setStatus("检查引擎加载失败，暂时无法检查。你输入的内容还在，可以点“重试”。", "failed");
    console.error("fanzha engine failed:", s.error);
  }
}

function renderFinding(finding, codePoints) {
  const evidence = (finding.evidence || []).map((span) =>
    el("mark", {}, sliceCodePoints(codePoints, span.start, span.end)),
  );
  const item = el(
    "li",
    { "data-testid": "finding", "data-rule": finding.rule, "data-category": finding.category,
      "data-severity": finding.severity, class: `finding sev-${finding.severity}` },
    el("p", { class: "finding-meta" }, `${CATEGORIES[finding.category] || finding.category} · ${SEVERITIES[finding.severity] || ""}`),
    el("h4", {}, finding.title),
    el("p", {}, finding.explanation),
  );
  if (evidence.length) item.append(el("p", { class: "evidence" }, "原文：", ...evidence));
  return item;
}

function renderEntities(entities) {
  const items = [];
  for (const [key, label] of Object.entries(ENTITY_LABELS)) {
    const values = (entities && entities[key]) || [];
    if (values.length) items.push(el("li", {}, `${label}：`, values.map(String).join("，")));
  }
  ui.entities.replaceChildren(...items);
  ui.entitiesBlock.hidden = items.length === 0;
}

function render(report, text) {
  const verdict = VERDICTS[report.verdict] || VERDICTS.none;
  const codePoints = Array.from(text);
  ui.verdict.dataset.verdict = report.verdict;
  ui.verdict.textContent = verdict.text;
  ui.verdictNote.textContent = verdict.note;
  ui.findings.replaceChildren(...report.findings.map((f) => renderFinding(f, codePoints)));
  ui.findingsBlock.hidden = report.findings.length === 0;
  ui.advice.replaceChildren(...(report.advice || []).map((a) => el("li", {}, a)));
  ui.adviceBlock.hidden = !(report.advice || []).length;
  renderEntities(report.entities);
  ui.result.hidden = false;
}

function revealResult() {
  const top = ui.result.getBoundingClientRect().top;
  if (top > window.innerHeight * 0.6) ui.result.scrollIntoView({ block: "start", behavior: "smooth" });
}

function clearResult() {
  ui.result.hidden = true;
  delete ui.verdict.dataset.verdict;
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
    render(report, text);
    if (reveal) revealResult();
  } catch (err) {
    console.error("check failed:", err);
    if (engineState !== "failed") setStatus("这次检查出错了，请稍后再试。", "error");
  }
}

// Without WebAssembly, Python cannot run here at all: say so instead of loading forever.
const engine = typeof WebAssembly === "object" ? createEngine(onEngineState) : null;
if (!engine) setStatus("这个浏览器不支持 WebAssembly，无法在本机检查。请换用新版的手机或电脑浏览器。", "failed");

ui.input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => runCheck(), TYPING_PAUSE_MS);
});
ui.check.addEventListener("click", () => runCheck({ reveal: true }));
ui.clear.addEventListener("click", () => {
  ui.input.value = "";
  clearResult();
  ui.input.focus();
});
ui.retry.addEventListener("click", () => {
  engine.restart();
  runCheck({ reveal: true }); // the text was kept; check it as soon as the new engine is ready
});
