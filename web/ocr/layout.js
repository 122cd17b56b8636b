// Recognised lines to a transcript the engine reads (py/fanzha/transcript.py): "名字：…" for each message,
// times as their own lines, system notices as "（系统提示）…". Pure functions over what colours.js found, so
// they can be tested without a browser.

const TIME = /^(?:\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})?\s*(?:昨天|前天|今天|星期[一二三四五六日天]|周[一二三四五六日天])?\s*(?:上午|下午|晚上|凌晨|中午|早上)?\s*\d{1,2}[:：]\d{2}$/;
const CENTRE_TOLERANCE = 0.08; // of the width: a line this close to the middle is centred
const TITLE_BAND = 0.12; // of the height: the title bar is in the top band
const ME = "我";
const THEM = "对方";
export const SYSTEM_TAG = "（系统提示）";

/** Times as the engine reads them: "14:32" and "昨天 14:32" with ASCII colons. */
export const isTime = (text) => TIME.test(text.replace(/\s+/g, " ").trim());

function cleanName(text) {
  return text
    .replace(/^[<＜〈く‹]+\s*/, "") // the back arrow beside the title
    .replace(/[(（]\d+[)）]$/, "") // a group's member count
    .replace(/[:：\s…·.]+/g, "")
    .trim();
}

// ASCII words wrapped at a space get it back; Chinese, numbers and links broken anywhere join as they are.
const joinText = (a, b) => (/[A-Za-z]$/.test(a) && /^[A-Za-z]/.test(b) && !/[/.]\S*$/.test(a) ? `${a} ${b}` : a + b);

// "http:/t.cn/…": the recogniser sometimes reads a scheme's two slashes as one; no link has one there.
const fixLink = (text) => text.replace(/\b(https?):\/(?=[^/])/gi, "$1://");

/** A bubble's lines in reading order: rows top to bottom, boxes in a row left to right. */
function bubbleText(lines) {
  const rows = [];
  for (const line of lines) {
    const row = rows.find((r) => overlapsVertically(r[0].box, line.box));
    if (row) row.push(line);
    else rows.push([line]);
  }
  const text = rows.map((row) => row.sort((a, b) => a.box.x0 - b.box.x0).map((l) => l.text.trim()).join(" "));
  return fixLink(text.reduce(joinText, ""));
}

function overlapsVertically(a, b) {
  const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return overlap > 0.5 * Math.min(a.y1 - a.y0, b.y1 - b.y0);
}

const DROP_SCORE = 0.5; // PaddleOCR's own: below it a line is more likely noise than text
// Of the usual height of a line in a bubble: shorter, it is a line cut by the chat's edge (a scrolling
// screenshot's top or bottom, under a bar). Times and notices are set smaller, so only bubbles are held to it.
const CUT_HEIGHT = 0.75;

/** Lines worth reading: confident, and not cut in half by the edge of the chat. */
function legible(lines) {
  const height = (l) => l.box.y1 - l.box.y0;
  const heights = lines.filter((l) => l.inBubble).map(height).sort((a, b) => a - b);
  const usual = heights[Math.floor(heights.length / 2)] || 0;
  return lines.filter((l) => l.score >= DROP_SCORE && (!l.inBubble || height(l) >= usual * CUT_HEIGHT));
}

/** Which side each bubble colour belongs to: the side most of its bubbles lean to. */
function sidesByColour(bubbles, width) {
  const votes = new Map();
  for (const b of bubbles) {
    const key = b.lines[0].colour.map((c) => Math.round(c / 24)).join(",");
    const lean = b.lines[0].left - (width - b.lines[0].right); // < 0: nearer the left edge
    const v = votes.get(key) || { left: 0, right: 0 };
    if (lean < 0) v.left++;
    else v.right++;
    votes.set(key, v);
    b.key = key;
  }
  for (const b of bubbles) {
    const v = votes.get(b.key);
    b.side = v.left === v.right ? sideOf(b, width) : v.left > v.right ? THEM : ME;
  }
}

const sideOf = (b, width) => (b.lines[0].left < width - b.lines[0].right ? THEM : ME);

/**
 * One screenshot (colours.js's description) to items in order (`continued`: a tile of a tall screenshot
 * below its first, which has no status or title bar):
 * {kind: "title"|"time"|"system"|"message", side?: "我"|"对方", name?, text}.
 */
export function layout(shot, { continued = false } = {}) {
  const { width, height } = shot;
  const lines = legible(shot.lines);
  const items = [];
  const bubbles = [];
  let title = null;
  let open = null; // the bubble whose next line joins it
  let nickname = null; // a name above the next bubble (QQ, group chats)
  for (const line of lines) {
    const text = line.text.trim();
    if (!text) continue;
    const cx = (line.box.x0 + line.box.x1) / 2;
    const centred = Math.abs(cx - width / 2) < width * CENTRE_TOLERANCE;
    // The status bar and the title bar: never a bubble, whatever their colour. A tile below the top of a
    // scrolling screenshot (continued) has none.
    const top = !continued && line.box.y1 < height * TITLE_BAND;
    if (line.inBubble && !top) {
      if (!open) {
        open = { kind: "message", lines: [], name: nickname };
        nickname = null;
        bubbles.push(open);
        items.push(open);
      }
      open.lines.push(line);
      if (!line.joinsNext) open = null;
      continue;
    }
    open = null;
    if (top && centred && !title && !isTime(text) && line.box.x1 - line.box.x0 < width * 0.6) {
      title = cleanName(text);
      items.push({ kind: "title", text: title });
    } else if (centred && isTime(text)) {
      items.push({ kind: "time", text: text.replace(/：/g, ":"), score: line.score });
    } else if (centred) {
      items.push({ kind: "system", text, score: line.score });
    } else if (!top && line.box.y0 < height * (1 - TITLE_BAND / 2)) {
      nickname = cleanName(text) || null; // off-centre and outside any bubble: a sender's name
    }
  }
  sidesByColour(bubbles, width);
  for (const b of bubbles) {
    b.text = bubbleText(b.lines);
    b.score = Math.min(...b.lines.map((l) => l.score));
    b.name = b.side === ME ? ME : b.name; // else the title bar's name, given in mergeShots
    delete b.lines;
    delete b.key;
  }
  return items;
}

// For comparing what two screenshots show: the recogniser may read a full-width "？" once and "?" the next time.
const norm = (s) => s.normalize("NFKC").replace(/\s+/g, "");

/** Levenshtein distance: two readings of one line differ by a character or two. */
function editDistance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] !== b[j - 1]));
    row = next;
  }
  return row[b.length];
}

const SAME_READING = 0.2; // at most this share of characters differ between two readings of one line

function sameItem(a, b) {
  if (a.kind !== b.kind || a.side !== b.side) return false;
  const x = norm(a.text);
  const y = norm(b.text);
  if (x === y) return true;
  // A bubble cut by the screen's edge shows part of its text.
  if (Math.min(x.length, y.length) >= 4 && (x.includes(y) || y.includes(x))) return true;
  return Math.min(x.length, y.length) >= 5 && editDistance(x, y) <= SAME_READING * Math.max(x.length, y.length);
}

/** Of two readings of one item, the whole one, else the more confident. */
function better(a, b) {
  const [x, y] = [norm(a.text), norm(b.text)];
  if (x.length !== y.length && (x.includes(y) || y.includes(x))) return x.length > y.length ? a : b;
  return (b.score ?? 0) > (a.score ?? 0) ? b : a;
}

/**
 * How many items the end of `merged` shares with the start of `items`: the longest run, allowing one item
 * to be skipped at either side of the seam (a line one screenshot cut off at its edge and misread).
 */
function overlapOf(merged, items) {
  for (let k = Math.min(merged.length, items.length); k > 0; k--) {
    for (const [skip, head] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      const tail = merged.slice(merged.length - skip - k, merged.length - skip);
      const start = items.slice(head, head + k);
      if (tail.length === k && start.length === k && tail.every((it, i) => sameItem(it, start[i]))) {
        return { k, skip, head };
      }
    }
  }
  return { k: 0, skip: 0, head: 0 };
}

/** Screenshots of one chat, in order: what two of them both show (scrolling screenshots) appears once. */
export function mergeShots(shots) {
  let merged = [];
  for (const shot of shots) {
    const items = shot.filter((it) => it.kind !== "title");
    const { k, skip, head } = overlapOf(merged, items);
    // Skipped items were cut off by a screenshot's edge: the other screenshot shows them whole.
    const end = merged.length - skip;
    const kept = merged.slice(0, end - k);
    for (let i = 0; i < k; i++) {
      kept.push(better(merged[end - k + i], items[head + i]));
    }
    merged = kept.concat(items.slice(head + k));
  }
  // The title bar's name (of the first screenshot that shows one) stands for the other side wherever no
  // nickname is shown: a tile of a tall screenshot or a later screenshot need not show the bar.
  const title = shots.flat().find((it) => it.kind === "title");
  for (const it of merged) if (it.kind === "message" && !it.name) it.name = title ? title.text : THEM;
  return title ? [title, ...merged] : merged;
}

/** Items to the text put in the box and checked. */
export function toTranscript(items) {
  const out = [];
  for (const it of items) {
    if (it.kind === "message") out.push(`${it.name}：${it.text}`);
    else if (it.kind === "time") out.push(it.text);
    else if (it.kind === "system") out.push(SYSTEM_TAG + it.text);
  }
  return out.join("\n");
}
