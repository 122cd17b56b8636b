// What the pixels around each recognised line say: the colour it sits on (a bubble, or the chat's
// background), where that bubble starts and ends, and whether the next line is in the same bubble.
// Works on ImageData-like {width, height, data: RGBA bytes}.

// A bubble's colour differs from the chat's background by more than this (QQ's white on near-white: 21).
const BUBBLE_CONTRAST = 8;
// Pixels within this colour distance of a bubble's colour are that bubble: half the bubble's contrast with
// the background, so edges stay sharp on pale bubbles and JPEG noise is tolerated on strong ones.
const tolerance = (contrast) => Math.min(20, Math.max(6, contrast / 2));
const SAME = 14; // two lines' bubble colours within this are one colour

const at = (img, x, y) => {
  const i = (Math.min(img.height - 1, Math.max(0, y)) * img.width + Math.min(img.width - 1, Math.max(0, x))) * 4;
  return [img.data[i], img.data[i + 1], img.data[i + 2]];
};
export const distance = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** The commonest colour in a rectangle (32 levels a channel), averaged over its pixels; step samples. */
export function dominant(img, x0, y0, x1, y1, step = 1) {
  const bins = new Map();
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y += step) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x1); x += step) {
      const [r, g, b] = at(img, x, y);
      const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
      const bin = bins.get(key) || [0, 0, 0, 0];
      bin[0] += r;
      bin[1] += g;
      bin[2] += b;
      bin[3]++;
      bins.set(key, bin);
    }
  }
  let best = [0, 0, 0, 0];
  for (const bin of bins.values()) if (bin[3] > best[3]) best = bin;
  return best[3] ? [best[0] / best[3], best[1] / best[3], best[2] / best[3]] : [0, 0, 0];
}

/** How far a run of `colour` reaches from (x, y) in direction dx: the bubble's edge on that side. */
function edge(img, x, y, dx, colour, tol) {
  let last = x;
  let misses = 0;
  for (let cx = x; cx >= 0 && cx < img.width; cx += dx) {
    if (distance(at(img, cx, y), colour) <= tol) {
      last = cx;
      misses = 0;
    } else if (++misses > 2) break; // a stray text pixel is not the edge
  }
  return last;
}

/** Share of a vertical strip's pixels that have `colour`. */
function coverage(img, x, ya, yb, colour, tol) {
  let hit = 0;
  let n = 0;
  for (let y = Math.round(ya); y <= Math.round(yb); y++, n++) if (distance(at(img, x, y), colour) <= tol) hit++;
  return n ? hit / n : 0;
}

/**
 * The detector sometimes cuts one line of text in two ("…不够，" + "需要"): boxes on one row that touch or
 * nearly touch are one line again, read left to right.
 */
function joinRows(lines) {
  const out = [];
  for (const line of [...lines].sort((a, b) => a.box.x0 - b.box.x0)) {
    const { box } = line;
    const h = box.y1 - box.y0;
    const row = out.find((o) => {
      const overlap = Math.min(o.box.y1, box.y1) - Math.max(o.box.y0, box.y0);
      return overlap > 0.6 * Math.min(h, o.box.y1 - o.box.y0) && box.x0 - o.box.x1 < 0.5 * h;
    });
    if (!row) {
      out.push({ ...line });
      continue;
    }
    row.text += line.text;
    row.score = Math.min(row.score, line.score);
    row.box = {
      x0: Math.min(row.box.x0, box.x0),
      y0: Math.min(row.box.y0, box.y0),
      x1: Math.max(row.box.x1, box.x1),
      y1: Math.max(row.box.y1, box.y1),
    };
  }
  return out;
}

/**
 * Whether `next` is in the same bubble as `line`: same colour, and the bubble's padding between them (left of
 * both lines' text, right of the bubble's edge, clear of a tail or a rounded corner) is bubble all the way.
 */
function sameBubble(img, line, next) {
  if (!next || !line.inBubble || !next.inBubble || distance(line.colour, next.colour) > SAME) return false;
  const edge = Math.max(line.left, next.left);
  const text = Math.min(line.box.x0, next.box.x0);
  if (text - edge < 2) return false;
  const x = Math.round((edge + text) / 2);
  const ya = (line.box.y0 + line.box.y1) / 2;
  const yb = (next.box.y0 + next.box.y1) / 2;
  return coverage(img, x, ya, yb, line.colour, line.tolerance) >= 0.85;
}

/**
 * Each line gets: `colour` (what it sits on), `inBubble` (that colour is not the chat's background),
 * `left`/`right` (the bubble's edges, or the line's own when not in a bubble) and `joinsNext` (the next line
 * down is in the same bubble: the strip between them is all bubble). Lines come back sorted top to bottom.
 */
export function describe(img, lines) {
  const background = dominant(img, 0, Math.round(img.height * 0.1), img.width, Math.round(img.height * 0.9), 4);
  const sorted = joinRows(lines).sort((a, b) => a.box.y0 + a.box.y1 - (b.box.y0 + b.box.y1));
  const described = sorted.map((line) => {
    const { x0, y0, x1, y1 } = line.box;
    const colour = dominant(img, x0, y0, x1, y1, 2);
    const cy = Math.round((y0 + y1) / 2);
    const contrast = distance(colour, background);
    const tol = tolerance(contrast);
    const onColour = contrast > BUBBLE_CONTRAST;
    const left = onColour ? edge(img, x0, cy, -1, colour, tol) : x0;
    const right = onColour ? edge(img, x1 - 1, cy, 1, colour, tol) : x1;
    // A colour from edge to edge is a bar (the title bar, an input bar), not a bubble.
    const inBubble = onColour && !(left <= 1 && right >= img.width - 2);
    return { ...line, colour, tolerance: tol, inBubble, left: inBubble ? left : x0, right: inBubble ? right : x1 };
  });
  described.forEach((line, i) => line.joinsNext = sameBubble(img, line, described[i + 1]));
  return { width: img.width, height: img.height, background, lines: described };
}
