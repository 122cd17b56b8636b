// Start-up progress, for the page: the stage, the bytes downloaded so far, and each stage's time (ms).
// Protocol: {type: "progress", stage, done, total, bytes, totalBytes}.
import { BUILD } from "./site.js";

const STAGES = ["runtime", "packages", "import", "rules", "warmup"];
export const timings = {};
let currentStage = "runtime";
let bytes = 0;
let lastReport = 0;

// Reports the bytes downloaded so far, at most twice a second: the page's watchdog uses these to
// tell a slow download (bytes keep coming) from a stalled one (nothing for many seconds).
function progress(force = false) {
  const now = performance.now();
  if (!force && now - lastReport < 500) return;
  lastReport = now;
  const done = STAGES.indexOf(currentStage);
  self.postMessage({
    type: "progress", stage: currentStage, done, total: STAGES.length, bytes, totalBytes: BUILD.start_bytes,
  });
}

export function countBytes(count) {
  bytes += count;
  progress();
}

export function bytesSoFar() {
  return bytes;
}

// Runs one named start-up stage, reporting progress and recording how long it took (ms).
export async function stage(name, fn) {
  currentStage = name;
  progress(true);
  const t0 = performance.now();
  const value = await fn();
  timings[name] = Math.round(performance.now() - t0);
  return value;
}
