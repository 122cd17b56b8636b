// The result view. First screen: the verdict, why (one line), the first steps with 110 and 96110 to tap,
// what to do if the money has gone (static in index.html), the record to hand over. Then the details:
// one card per pattern, the rest of the advice, what to write down, the text with its evidence marked.
// Everything the user typed reaches the DOM as text nodes only.
// The verdict sentences and category labels are the rules data's (rules/_language.toml, which the command
// line reads too): the build writes them into content/labels.js.
import { CATEGORY_LABELS, VERDICTS } from "../content/labels.js";
import { $, el } from "./dom.js";

// In the user's terms, for a "why" line when the top finding is the learned scorer's (its title names no pattern).
const CATEGORY_WHY = {
  investment: "对方拉你投资理财，说能稳赚、高回报",
  loan: "贷款还没放，先要你交钱",
  brushing: "刷单、做任务返钱，要你先垫钱",
  impersonate_police: "对方自称公检法或社保医保人员，要你转钱",
  impersonate_leader: "对方自称领导或熟人，要你先转钱",
  fake_customer_service: "对方自称客服，以退款、理赔为由要你操作",
  credit_repair: "说要帮你注销校园贷、修复征信，要你转钱",
  fake_shopping: "买东西要你私下先付钱，或付了还要加钱",
  game_trade: "游戏交易要你私下转账、先交费",
  romance: "网上认识、没见过面的人找理由要钱",
  flight_refund: "说航班取消、要退改签，让你先交钱",
  other: "说法和已知的诈骗信息很像",
};

const MODEL_RULE = "resembles_known_scams"; // fanzha.report.MODEL_RULE: the learned scorer's finding

const SEVERITIES = { high: "高风险", medium: "中风险", low: "低风险" };
const SEVERITY_RANK = { high: 3, medium: 2, low: 1 };

// Known kinds of report.entities, in the order a police officer asks for them; any other list the engine
// adds is shown too, under its key, so nothing it found is left out.
const ENTITY_LABELS = {
  accounts: "账号、户名",
  names: "收款人",
  banks: "开户银行",
  phones: "电话",
  contacts: "微信、QQ 等联系方式",
  urls: "链接",
  apps: "软件",
  amounts: "金额",
};

// The steps shown first: the most urgent of the report's advice, then the call step (static in
// index.html, with its tel: links). Advice that names 110 or 96110 is what the call step says.
const FIRST_STEPS = 3;
const CALLS = /(^|\D)(110|96110)(\D|$)/;
export const CALL_STEP = "拿不准，打 96110 反诈专线问一问；已经转了钱，马上打 110 报警。";
const QUIET_STEPS = ["凡是要你转账、汇款的，先当面或打你原来就存着的电话核实，不要用对方给的号码。"];
const MAX_EVIDENCE_WORDS = 12;

const URL_FLAGS = { apk: "安装包，千万别装", ip_host: "网址是一串数字，很可疑" };

/** How many characters (code points) the engine read: it cuts a huge paste and says how far it read. */
function checkedLength(report) {
  return Number.isInteger(report.checked_chars) ? report.checked_chars : Infinity;
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
 * @returns {{node: HTMLElement, marksOf: Map<number, HTMLElement[]>, marks: HTMLElement[]}} marks: all, in text order
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
  const marks = [];
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
    marks.push(mark);
  }
  if (offsets[count] < text.length) parts.push(el("span", { class: "cut" }, "……（后面的内容没有检查）"));
  box.replaceChildren(...parts);
  return { node: box, marksOf, marks };
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

/**
 * Findings that show one pattern (the same category) or the same words (one's evidence spans all among
 * the other's) become one card: [[index, ...], ...], each in report order, cards in order of their first.
 */
export function mergeFindings(findings) {
  const root = findings.map((_, i) => i);
  const find = (i) => (root[i] === i ? i : (root[i] = find(root[i])));
  const join = (a, b) => {
    const [x, y] = [find(a), find(b)];
    if (x !== y) root[Math.max(x, y)] = Math.min(x, y);
  };
  const firstOf = new Map();
  findings.forEach((finding, i) => {
    if (firstOf.has(finding.category)) join(firstOf.get(finding.category), i);
    else firstOf.set(finding.category, i);
  });
  const spans = findings.map((f) => new Set((f.evidence || []).map((e) => `${e.start}:${e.end}`)));
  const within = (a, b) => a.size > 0 && a.size <= b.size && [...a].every((key) => b.has(key));
  for (let i = 0; i < findings.length; i++) {
    for (let j = i + 1; j < findings.length; j++) {
      if (find(i) !== find(j) && (within(spans[i], spans[j]) || within(spans[j], spans[i]))) join(i, j);
    }
  }
  const cards = new Map();
  findings.forEach((_, i) => {
    const r = find(i);
    if (!cards.has(r)) cards.set(r, []);
    cards.get(r).push(i);
  });
  return [...cards.values()];
}

/** Each distinct evidence word of the findings, in order, at most MAX_EVIDENCE_WORDS; and how many there are. */
function evidenceWords(findings) {
  const words = [...new Set(findings.flatMap((f) => (f.evidence || []).map((e) => e.text)))];
  return { shown: words.slice(0, MAX_EVIDENCE_WORDS), count: words.length };
}


function renderCard(members, marks) {
  const [first] = members;
  const severity = members.reduce((top, f) => ((SEVERITY_RANK[f.severity] || 0) > (SEVERITY_RANK[top] || 0) ? f.severity : top), first.severity);
  const item = el(
    "li",
    {
      "data-testid": "finding",
      "data-rule": first.rule,
      "data-category": first.category,
      "data-severity": severity,
      "data-rules": members.map((f) => f.rule).join(" "),
      class: `finding sev-${severity}`,
    },
    el("p", { class: "finding-meta" }, [SEVERITIES[severity], CATEGORY_LABELS[first.category] || CATEGORY_LABELS.other].filter(Boolean).join(" · ")),
  );
  // Every rule's title stays visible: each names one thing the other side did.
  if (members.length === 1) item.append(el("p", { class: "finding-title" }, first.title));
  else item.append(el("ul", { class: "finding-titles" }, ...members.map((f) => el("li", { class: "finding-title" }, f.title))));
  item.append(el("p", { class: "finding-why" }, first.explanation));
  if (members.length > 1) {
    const more = el(
      "details",
      { class: "more-why" },
      el("summary", {}, `另外 ${members.length - 1} 条为什么可疑`),
      ...members.slice(1).map((f) => el("p", {}, el("strong", {}, `${f.title}：`), f.explanation)),
    );
    more.addEventListener("click", (event) => event.stopPropagation()); // opening it is not "show me the words"
    item.append(more);
  }
  const { shown, count } = evidenceWords(members);
  if (shown.length) {
    const rest = count > shown.length ? [`等 ${count} 种说法`] : [];
    item.append(el("p", { class: "evidence" }, "原文：", ...shown.map((w) => el("mark", {}, w)), ...rest));
  }
  if (marks.length) {
    item.append(el("button", { type: "button", class: "link-button", "data-testid": "show-evidence" }, "在原文中标出"));
    item.classList.add("clickable");
    item.addEventListener("click", () => emphasise(marks));
  }
  return item;
}

function renderFindings(findings, marksOf, allMarks) {
  const cards = mergeFindings(findings).map((indices) => {
    // A mark may serve several findings of a card: each once, in the order of the text.
    const own = new Set(indices.flatMap((i) => marksOf.get(i) || []));
    const marks = indices.length === 1 ? marksOf.get(indices[0]) || [] : allMarks.filter((m) => own.has(m));
    return renderCard(indices.map((i) => findings[i]), marks);
  });
  $("findings").replaceChildren(...cards);
  $("findings-block").hidden = findings.length === 0;
}

/**
 * One line under the verdict, in the user's terms: the title of the strongest pattern's first finding
 * (a rule's title names what the other side did); the scorer's finding names no pattern, so its
 * category says it instead.
 */
export function whyLine(report) {
  const findings = report.findings || [];
  if (!findings.length) return "没有找到常见诈骗里的说法。";
  const top = (report.categories || [])[0];
  const named = findings.filter((f) => f.rule !== MODEL_RULE);
  const pick = named.find((f) => f.category === top) || named[0];
  const line = pick ? pick.title : CATEGORY_WHY[findings[0].category] || CATEGORY_WHY.other;
  return report.verdict === "low" ? `值得留意：${line}` : line;
}

/** The advice as the page shows it: {first: the first steps, more: the rest}; the call step follows first. */
export function adviceSteps(report) {
  const advice = (report.advice || []).filter((a) => !CALLS.test(a));
  if (!advice.length && (report.verdict === "none" || report.verdict === "low")) return { first: QUIET_STEPS, more: [] };
  return { first: advice.slice(0, FIRST_STEPS), more: advice.slice(FIRST_STEPS) };
}

function renderAdvice(report) {
  const { first, more } = adviceSteps(report);
  const list = $("advice");
  const call = $("call-step");
  for (const li of [...list.children]) if (li !== call) li.remove();
  call.before(...first.map((a) => el("li", {}, a)));
  $("advice-title").textContent = report.verdict === "high" || report.verdict === "medium" ? "现在就做" : "转账前记住";
  $("more-advice").replaceChildren(...more.map((a) => el("li", {}, a)));
  $("more-advice").start = first.length + 2;
  $("more-advice-block").hidden = more.length === 0;
}

// Digits grouped by three with at most three decimals, as toLocaleString("zh-CN") writes them
// ("50,000 元"). Not toLocaleString itself: its first call loads locale data, ~30 ms of a first result.
function formatAmount(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const [whole, fraction] = String(Math.round(n * 1000) / 1000).split(".");
  return `${whole.replace(/\B(?=(\d{3})+$)/g, ",")}${fraction ? `.${fraction}` : ""} 元`;
}

/** Rows of [label, [display strings], key] for every list in report.entities that has something in it. */
function entityRows(entities) {
  const rows = [];
  if (!entities || typeof entities !== "object") return rows;
  const keys = [...Object.keys(ENTITY_LABELS), ...Object.keys(entities).filter((k) => !(k in ENTITY_LABELS))];
  for (const key of keys) {
    const values = entities[key];
    if (!Array.isArray(values) || !values.length || values.some((v) => v === null || typeof v === "object")) continue;
    const label = ENTITY_LABELS[key] || key;
    if (key === "amounts") rows.push([label, values.map(formatAmount), key]);
    else if (key === "urls") {
      const flags = entities.url_flags || {};
      rows.push([label, values.map((u) => [String(u), (flags[u] || []).map((f) => URL_FLAGS[f] || f)]), key]);
    } else rows.push([label, values.map(String), key]);
  }
  return rows;
}

const entityLine = (values, key) => (key === "urls" ? values.map(([u, f]) => (f.length ? `${u}（${f.join("，")}）` : u)) : values);

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
  for (const [label, values, key] of entityRows(entities)) lines.push(`${label}：${entityLine(values, key).join("；")}`);
  return lines.join("\n");
}

const pad = (n) => String(n).padStart(2, "0");

/** "2026-12-01 14:05" in local time (not toLocaleString: its locale data costs a first result time). */
export function localTime(date = new Date()) {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The record to hand over, as plain text: what the print view shows, for a chat or a text message to the
 * unit's security office or the police. Made on the device; it goes where the user sends it, nowhere else.
 */
export function recordText(report, date = new Date()) {
  const verdict = VERDICTS[report.verdict] || VERDICTS.none;
  const findings = report.findings || [];
  const lines = ["【可疑信息检查记录】", `检查时间：${localTime(date)}`, `结论：${verdict.text}`, `原因：${whyLine(report)}`];
  if (findings.length) {
    lines.push("", "发现的可疑之处：");
    findings.forEach((f, i) => {
      lines.push(`${i + 1}. ${f.title}${SEVERITIES[f.severity] ? `（${SEVERITIES[f.severity]}）` : ""}`);
      const { shown, count } = evidenceWords([f]);
      if (shown.length) lines.push(`   原文说法：${shown.map((w) => `“${w}”`).join("、")}${count > shown.length ? ` 等 ${count} 种` : ""}`);
    });
  }
  const rows = entityRows(report.entities);
  if (rows.length) {
    lines.push("", "对方的信息：");
    for (const [label, values, key] of rows) lines.push(`${label}：${entityLine(values, key).join("；")}`);
  }
  const { first, more } = adviceSteps(report);
  lines.push("", "该怎么做：");
  [...first, CALL_STEP, ...more].forEach((a, i) => lines.push(`${i + 1}. ${a}`));
  lines.push("", "本记录由“转账前，查一查”在本机生成，检查内容没有上传。");
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
  $("verdict").replaceChildren(...verdict.text.split(/(?<=，)/).map((clause) => el("span", { class: "clause" }, clause)));
  const why = whyLine(report);
  $("why").textContent = why;
  $("verdict-note").textContent = verdict.note;
  $("verdict-note").hidden = !verdict.note;
  const notes = report.notes || [];
  $("notes").textContent = notes.join(" ");
  $("notes").hidden = notes.length === 0;

  emphasised = [];
  const { marksOf, marks } = markedText(text, findings, checkedLength(report));
  $("text-block").hidden = findings.length === 0;
  renderFindings(findings, marksOf, marks);
  renderAdvice(report);
  renderEntities(report.entities);
  $("copy-status").textContent = "";
  $("share-status").textContent = "";
  $("print-time").textContent = localTime();
  $("result").hidden = false;

  $("announce").textContent = `检查结果：${verdict.text}。${findings.length ? why : ""}`;
}

export function clearReport() {
  $("result").hidden = true;
  delete $("verdict").dataset.verdict;
  for (const id of ["findings", "more-advice", "entities", "marked", "verdict", "why", "verdict-note", "notes", "announce", "share-status", "copy-status"]) {
    $(id).replaceChildren();
  }
  for (const li of [...$("advice").children]) if (li.id !== "call-step") li.remove();
  $("paid").open = false;
  emphasised = [];
}
