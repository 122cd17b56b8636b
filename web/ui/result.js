// The result view: verdict, findings by category, the text with its evidence marked, what to do now,
// and the details to write down. Everything the user typed reaches the DOM as text nodes only.
import { $, el } from "./dom.js";

export const VERDICTS = {
  high: {
    text: "很可能是诈骗，先不要转账",
    note: "下面这些说法是常见的诈骗手法。先停下，当面或打你原来就有的电话核实。",
  },
  medium: {
    text: "有可疑之处，请先核实",
    note: "有些说法和常见诈骗手法相似。转账前，当面或打你原来就有的电话核实。",
  },
  low: {
    text: "未发现明显诈骗特征",
    note: "有几处值得留意。记住：凡是要求转账、汇款的，都先当面或打原来的电话核实；不给陌生账户转账，不说验证码。",
  },
  none: {
    text: "未发现诈骗特征",
    note: "这只说明没有发现已知的诈骗说法。凡是要求转账、汇款的，仍请先当面或打原来的电话核实。",
  },
};

export const CATEGORIES = {
  investment: "投资理财诈骗",
  loan: "网络贷款诈骗",
  brushing: "刷单返利诈骗",
  impersonate_police: "冒充公检法诈骗",
  impersonate_leader: "冒充领导、熟人诈骗",
  fake_customer_service: "冒充电商物流客服诈骗",
  credit_repair: "注销校园贷、修复征信诈骗",
  fake_shopping: "虚假购物服务诈骗",
  game_trade: "网络游戏虚假交易诈骗",
  romance: "网络交友、婚恋诈骗",
  flight_refund: "机票退改签诈骗",
  other: "其他可疑做法",
};

const SEVERITIES = { high: "高风险", medium: "中风险", low: "低风险" };

const ENTITY_LABELS = [
  ["accounts", "账号、户名"],
  ["contacts", "微信、QQ 等联系方式"],
  ["phones", "电话"],
  ["urls", "链接"],
  ["apps", "软件"],
  ["amounts", "金额"],
];

const MAX_EVIDENCE_WORDS = 12;

const URL_FLAGS = { apk: "安装包，千万别装", ip_host: "网址是一串数字，很可疑" };

/** The engine says "只检查了前 N 字" when it cut the text; without a note it checked everything. */
function checkedLength(report) {
  for (const note of report.notes || []) {
    const m = /前\s*(\d+)\s*字/.exec(note);
    if (m) return Number(m[1]);
  }
  return Infinity;
}

/**
 * UTF-16 index of each code-point offset 0..n within text's first n code points (evidence offsets
 * are code points, JS strings index UTF-16 units). Walks only the prefix, so a 1 MB paste stays cheap.
 */
function utf16Offsets(text, limit) {
  const offsets = [0];
  let i = 0;
  while (i < text.length && offsets.length <= limit) {
    const code = text.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    offsets.push(i);
  }
  return offsets; // offsets.length - 1 code points are covered
}

/**
 * The checked text with every evidence span inside a <mark>; each mark knows which findings it serves.
 * @returns {{node: HTMLElement, marksOf: Map<number, HTMLElement[]>}}
 */
function markedText(text, findings, limit) {
  const offsets = utf16Offsets(text, limit);
  const count = offsets.length - 1;
  const spans = [];
  findings.forEach((finding, index) => {
    for (const span of finding.evidence || []) {
      const start = Math.max(0, Math.min(span.start, count));
      const end = Math.max(start, Math.min(span.end, count));
      if (end > start) spans.push({ start, end, index });
    }
  });
  // A sweep over the span boundaries: a 50,000-character text may carry thousands of spans.
  const starts = new Map();
  const ends = new Map();
  for (const s of spans) {
    if (!starts.has(s.start)) starts.set(s.start, []);
    starts.get(s.start).push(s.index);
    if (!ends.has(s.end)) ends.set(s.end, []);
    ends.get(s.end).push(s.index);
  }
  const cuts = [...new Set([0, count, ...starts.keys(), ...ends.keys()])].sort((a, b) => a - b);
  const box = $("marked");
  const parts = [];
  const marksOf = new Map();
  const active = new Map(); // finding index -> how many of its spans cover the current piece
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [a, b] = [cuts[k], cuts[k + 1]];
    for (const index of ends.get(a) || []) active.set(index, active.get(index) - 1);
    for (const index of starts.get(a) || []) active.set(index, (active.get(index) || 0) + 1);
    const piece = text.slice(offsets[a], offsets[b]);
    const owners = [...active].filter(([, n]) => n > 0).map(([index]) => index);
    if (!owners.length) {
      parts.push(piece);
      continue;
    }
    const mark = el("mark", { tabindex: "-1" }, piece);
    for (const index of owners) {
      if (!marksOf.has(index)) marksOf.set(index, []);
      marksOf.get(index).push(mark);
    }
    parts.push(mark);
  }
  if (offsets[count] < text.length) parts.push(el("span", { class: "cut" }, "……（后面的内容没有检查）"));
  box.replaceChildren(...parts);
  return { node: box, marksOf };
}

let emphasised = [];

function emphasise(marks) {
  for (const mark of emphasised) mark.classList.remove("emph");
  emphasised = marks;
  for (const mark of marks) mark.classList.add("emph");
  if (!marks.length) return;
  marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
  marks[0].focus({ preventScroll: true });
}

function renderFinding(finding, marks) {
  const show = el("button", { type: "button", class: "link-button", "data-testid": "show-evidence" }, "在原文中标出");
  const item = el(
    "li",
    {
      "data-testid": "finding",
      "data-rule": finding.rule,
      "data-category": finding.category,
      "data-severity": finding.severity,
      class: `finding sev-${finding.severity}`,
    },
    el("p", { class: "finding-meta" }, SEVERITIES[finding.severity] || ""),
    el("p", { class: "finding-title" }, finding.title),
    el("p", { class: "finding-why" }, finding.explanation),
  );
  // The same words may be evidence thousands of times in a long paste: list each once, at most a dozen.
  const words = [...new Set((finding.evidence || []).map((e) => e.text))];
  if (words.length) {
    const shown = words.slice(0, MAX_EVIDENCE_WORDS).map((w) => el("mark", {}, w));
    const more = words.length > MAX_EVIDENCE_WORDS ? [`等 ${words.length} 种说法`] : [];
    item.append(el("p", { class: "evidence" }, "原文：", ...shown, ...more));
  }
  if (marks.length) {
    item.append(show);
    item.classList.add("clickable");
    item.addEventListener("click", () => emphasise(marks));
  }
  return item;
}

function renderFindings(findings, marksOf) {
  const groups = new Map();
  findings.forEach((finding, index) => {
    if (!groups.has(finding.category)) groups.set(finding.category, []);
    groups.get(finding.category).push(renderFinding(finding, marksOf.get(index) || []));
  });
  const sections = [...groups].map(([category, items]) =>
    el(
      "section",
      { class: "category", "data-testid": "category", "data-category": category },
      el("h4", {}, CATEGORIES[category] || CATEGORIES.other),
      el("ul", { class: "findings" }, ...items),
    ),
  );
  $("findings").replaceChildren(...sections);
  $("findings-block").hidden = findings.length === 0;
}

// Digits grouped by three with at most three decimals, as toLocaleString("zh-CN") writes them
// ("50,000 元"). Not toLocaleString itself: its first call loads locale data, ~30 ms of a first result.
function formatAmount(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const [whole, fraction] = String(Math.round(n * 1000) / 1000).split(".");
  return `${whole.replace(/\B(?=(\d{3})+$)/g, ",")}${fraction ? `.${fraction}` : ""} 元`;
}

/** Rows of [label, [display strings]] for the entities found; shared by the panel and the copy text. */
function entityRows(entities) {
  const rows = [];
  for (const [key, label] of ENTITY_LABELS) {
    const values = (entities && entities[key]) || [];
    if (!values.length) continue;
    if (key === "amounts") rows.push([label, values.map(formatAmount), key]);
    else if (key === "urls") {
      const flags = (entities && entities.url_flags) || {};
      rows.push([label, values.map((u) => [String(u), (flags[u] || []).map((f) => URL_FLAGS[f] || f)]), key]);
    } else rows.push([label, values.map(String), key]);
  }
  return rows;
}

function renderEntities(entities) {
  const rows = entityRows(entities);
  const parts = [];
  for (const [label, values, key] of rows) {
    parts.push(el("dt", {}, label));
    for (const value of values) {
      if (key === "urls") {
        const [url, flags] = value;
        // Shown as plain text, never an <a>: these links come from scammers.
        const dd = el("dd", { class: "url", "data-testid": "entity-url" }, el("span", { class: "url-text" }, url));
        for (const flag of flags) dd.append(el("span", { class: "flag" }, flag));
        parts.push(dd);
      } else parts.push(el("dd", {}, value));
    }
  }
  $("entities").replaceChildren(...parts);
  $("entities-block").hidden = rows.length === 0;
}

/** Plain text of the details panel, for the copy button. */
export function entitiesText(entities) {
  const lines = ["对方的信息（反诈检查记录）"];
  for (const [label, values, key] of entityRows(entities)) {
    const shown = key === "urls" ? values.map(([u, f]) => (f.length ? `${u}（${f.join("，")}）` : u)) : values;
    lines.push(`${label}：${shown.join("；")}`);
  }
  return lines.join("\n");
}

/**
 * Shows a report for the text that was checked.
 * @param {object} report the engine's report JSON
 * @param {string} text the text as it was sent
 */
export function renderReport(report, text) {
  const verdict = VERDICTS[report.verdict] || VERDICTS.none;
  const findings = report.findings || [];
  $("verdict").dataset.verdict = report.verdict;
  $("verdict-box").dataset.verdict = report.verdict;
  $("verdict").textContent = verdict.text;
  $("verdict-note").textContent = verdict.note;
  const notes = report.notes || [];
  $("notes").textContent = notes.join(" ");
  $("notes").hidden = notes.length === 0;

  emphasised = [];
  const { marksOf } = markedText(text, findings, checkedLength(report));
  $("text-block").hidden = findings.length === 0;
  renderFindings(findings, marksOf);
  const advice = report.advice || [];
  $("advice").replaceChildren(...advice.map((a) => el("li", {}, a)));
  $("advice-block").hidden = advice.length === 0;
  renderEntities(report.entities);
  $("copy-status").textContent = "";
  $("result").hidden = false;

  const count = findings.length ? `发现 ${findings.length} 处可疑。` : "";
  $("announce").textContent = `检查结果：${verdict.text}。${count}`;
}

export function clearReport() {
  $("result").hidden = true;
  delete $("verdict").dataset.verdict;
  for (const id of ["findings", "advice", "entities", "marked", "verdict", "verdict-note", "notes", "announce"]) {
    $(id).replaceChildren();
  }
  emphasised = [];
}
