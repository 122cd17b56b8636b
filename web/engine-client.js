// The only main-thread caller of the worker (web/worker/worker.js).
// main -> worker: {id, type: "check", text, knownContact?}   knownContact: see check()
// worker -> main: {id, ok: true, result} | {id, ok: false, error, fatal?}
//                 {type: "progress", stage, done, total, bytes?, totalBytes?} | {type: "ready", timings}
//                 {type: "failed", error, reason} | {type: "staged"}
//
// Requests are serialised: one check at a time in the worker, and only the newest waiting one is kept.
// The client watches the worker: a start-up that stops making progress, a worker that dies, and a check
// that runs past its time budget each end in a restart (the pending check is re-run once) or a clear
// failure. The user's text is never lost: it stays in the page, and a pending check keeps it.

/**
 * @typedef {{id: number, type: "check", text: string, knownContact?: boolean}} CheckRequest
 * @typedef {{id: number, ok: true, result: object} | {id: number, ok: false, error: string, fatal?: boolean}} CheckReply
 * @typedef {{type: "progress", stage: string, done: number, total: number, bytes?: number, totalBytes?: number}} Progress
 *   bytes: loaded so far (downloads and cache reads); totalBytes, when the worker knows it: of how many
 * @typedef {{type: "ready", timings: Object<string, number>}} Ready   start-up stage -> milliseconds
 * @typedef {{type: "failed", error: string, reason: string}} Failed
 * @typedef {{state: "loading", stage: string, done: number, total: number, bytes?: number, totalBytes?: number, message?: string}
 *         | {state: "ready", timings: Object<string, number>}
 *         | {state: "failed", error: string, reason: string, message: string}} EngineState
 *   stage "start" (worker created) and "restart" (after a crash or a check over its budget) come from
 *   here; the rest from the worker. `message`, when present, is a Chinese sentence for the user.
 *   reason: "download" | "stalled" | "integrity" | "python" | "no-wasm" | "no-module-worker" | "crashed"
 * @typedef {{checkBudgetMs?: number, stallMs?: number}} EngineOptions
 */

const WORKER_URL = new URL("./worker/worker.js", import.meta.url);
const CHECK_BUDGET_MS = 10_000; // a check of 50,000 characters takes well under 1 s here
const STALL_MS = 30_000; // start-up with neither a downloaded byte nor a new stage for this long

// What the user reads, by failure reason: what happened, and what to do. The typed text is kept.
export const MESSAGES = {
  download: "检查工具没有下载完整，可能是网络断了。你输入的内容还在，请检查网络后点“重试”。",
  stalled: "检查工具下载停住了，很久没有进展。你输入的内容还在，请检查网络后点“重试”。",
  integrity: "检查规则文件或检查工具的文件和这个版本对不上（可能被缓存或改动过），为安全起见没有使用。请点“重试”或刷新页面。",
  python: "检查工具启动出错了。你输入的内容还在，请点“重试”；仍不行请换用新版浏览器。",
  "no-wasm": "这个浏览器太旧，不能在本机检查。请换用新版的手机或电脑浏览器。",
  "no-module-worker": "这个浏览器太旧，不能在本机检查。请换用新版的手机或电脑浏览器。",
  crashed: "检查工具意外停了，重新准备后仍没能完成这次检查。你输入的内容还在，请点“重试”。",
  timeout: "这段内容检查太久，已经停止。你输入的内容还在，可以删去一部分后再试。",
  restarting: "检查工具出了点问题，正在重新准备，好了会自动再检查一次。",
};

/** An Error whose userMessage is a Chinese sentence for the page to show. */
function engineError(reason, detail) {
  const err = new Error(detail || reason);
  err.reason = reason;
  err.userMessage = MESSAGES[reason] || MESSAGES.python;
  return err;
}

/**
 * Starts the worker at once and keeps it alive (restarting Pyodide costs seconds).
 * @param {(state: EngineState) => void} onState
 * @param {EngineOptions} [options]
 */
// A browser without module workers ignores {type: "module"} without reading it; then the worker would
// fail on its first `import`. Reading the option is the feature test.
function spawnWorker() {
  let readsType = false;
  const workerOptions = {
    get type() {
      readsType = true;
      return "module";
    },
  };
  const worker = new Worker(WORKER_URL, workerOptions);
  if (!readsType) {
    worker.terminate();
    throw new Error("module workers are not supported");
  }
  return worker;
}

// The worker engine-start.js started while the page was parsed ({worker, events}), taken over once.
function takePrestarted() {
  const early = window.fanzhaPrestarted || null;
  window.fanzhaPrestarted = null;
  return early;
}

export function createEngine(onState, options = {}) {
  const checkBudgetMs = options.checkBudgetMs ?? CHECK_BUDGET_MS;
  const stallMs = options.stallMs ?? STALL_MS;
  let worker = null;
  let generation = 0; // bumps at every (re)start; replies from an older worker are ignored
  let isReady = false;
  let failed = null; // the failure reason while the engine is failed
  let nextId = 0;
  let latestId = 0;
  let inflight = null; // {id, text, resolve, reject, attempts} posted to the worker
  let queued = null; // the newest check waiting for the worker
  let stallTimer = 0;
  let budgetTimer = 0;

  function state(s) {
    onState(s);
  }

  function fail(reason, error) {
    clearTimeout(stallTimer);
    clearTimeout(budgetTimer);
    failed = reason;
    isReady = false;
    if (worker) worker.terminate();
    worker = null;
    for (const job of [inflight, queued]) if (job) job.reject(engineError(reason, error));
    inflight = queued = null;
    state({ state: "failed", reason, error: error || reason, message: MESSAGES[reason] || MESSAGES.python });
  }

  function watchStartup() {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => fail("stalled", `no start-up progress for ${stallMs} ms`), stallMs);
  }

  function onMessage(gen, event) {
    if (gen !== generation) return; // a reply from a worker we have already replaced
    const msg = event.data || {};
    if (msg.type === "progress") {
      watchStartup();
      state({ state: "loading", stage: msg.stage, done: msg.done, total: msg.total, bytes: msg.bytes, totalBytes: msg.totalBytes });
    } else if (msg.type === "ready") {
      clearTimeout(stallTimer);
      isReady = true;
      state({ state: "ready", timings: msg.timings });
      pump();
    } else if (msg.type === "failed") {
      fail(msg.reason || "python", msg.error);
    } else if (msg.type === "staged") {
      // The runtime files are in the worker's staging cache: sw-register.js may start the precache.
      window.dispatchEvent(new CustomEvent("fanzha:engine-staged"));
    } else if (inflight && msg.id === inflight.id) {
      settle(msg);
    }
  }

  function settle({ ok, result, error, fatal }) {
    clearTimeout(budgetTimer);
    const job = inflight;
    inflight = null;
    if (!ok && fatal) {
      recover(job, "crashed", error); // Pyodide is unusable after a fatal error: restart, re-run
      return;
    }
    if (job.id !== latestId) job.resolve(null); // a newer check superseded this one
    else if (ok) job.resolve(result);
    else job.reject(engineError("python", error));
    pump();
  }

  // Sends the waiting check, if the worker is ready and idle.
  function pump() {
    if (!isReady || inflight || !queued) return;
    inflight = queued;
    queued = null;
    inflight.attempts += 1;
    worker.postMessage({ id: inflight.id, type: "check", text: inflight.text, knownContact: inflight.knownContact });
    const job = inflight;
    budgetTimer = setTimeout(() => recover(job, "timeout", `check ${job.id} ran over ${checkBudgetMs} ms`), checkBudgetMs);
  }

  // The worker died or hung with `job` in it: restart and re-run the job once; a second failure of
  // the same text is reported instead of looping (the text itself may be what hangs the engine).
  function recover(job, reason, error) {
    if (job && job.attempts >= 2) {
      inflight = null;
      job.reject(engineError(reason, error));
      if (reason === "crashed") fail("crashed", error);
      else start({ stage: "restart" }); // keep the engine for the next (shorter) text
      return;
    }
    if (job && !queued) queued = job; // re-run, unless the user has typed something newer since
    else if (job) job.resolve(null);
    inflight = null;
    start({ stage: "restart", message: MESSAGES.restarting });
  }

  function start({ stage = "start", message } = {}) {
    clearTimeout(budgetTimer);
    if (worker) worker.terminate();
    worker = null;
    isReady = false;
    failed = null;
    const gen = ++generation;
    if (typeof WebAssembly !== "object") {
      fail("no-wasm", "WebAssembly is not available");
      return;
    }
    const early = stage === "start" ? takePrestarted() : null;
    try {
      worker = early ? early.worker : spawnWorker();
    } catch (err) {
      fail("no-module-worker", String(err.message || err));
      return;
    }
    worker.onmessage = (event) => onMessage(gen, event);
    // Fires when the module cannot load (missing file, syntax error, CSP refusal) or the worker throws.
    worker.onerror = (event) => {
      event.preventDefault();
      if (gen !== generation) return;
      if (isReady) recover(inflight, "crashed", event.message || "worker error");
      else fail("download", event.message || "worker failed to start");
    };
    worker.onmessageerror = () => gen === generation && recover(inflight, "crashed", "unreadable message");
    watchStartup();
    state({ state: "loading", stage, done: 0, total: 1, ...(message ? { message } : {}) });
    // What a prestarted worker said before this engine listened (progress, ready, a failure).
    for (const event of early ? early.events : []) (event.type === "error" ? worker.onerror : worker.onmessage)(event);
  }

  /**
   * Resolves with the report, or null when a newer check was sent before this one finished.
   * Rejects with an Error carrying `userMessage` (Chinese) when the check cannot be done.
   * @param {string} text
   * @param {{knownContact?: boolean}} [facts]  knownContact: guided mode's answers vouch that the person
   *   asking is known to the user, on an old contact, with no warning sign (fanzha.check's known_contact)
   * @returns {Promise<object | null>}
   */
  function check(text, { knownContact = false } = {}) {
    const id = ++nextId;
    latestId = id;
    if (failed) return Promise.reject(engineError(failed));
    return new Promise((resolve, reject) => {
      if (queued) queued.resolve(null); // superseded before it was even sent
      queued = { id, text: String(text), knownContact: knownContact === true, resolve, reject, attempts: 0 };
      pump();
    });
  }

  /** Restarts the engine from scratch (the page's 重试): pending checks are re-run once it is ready. */
  function restart() {
    if (inflight) {
      inflight.attempts = 0;
      if (!queued) queued = inflight;
      else inflight.resolve(null);
      inflight = null;
    }
    start();
  }

  start();
  return { check, restart };
}
