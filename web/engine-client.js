// The only main-thread caller of the worker (web/worker/worker.js).
// main -> worker: {id, type: "check", text}
// worker -> main: {id, ok: true, result} | {id, ok: false, error}
//                 {type: "progress", stage, done, total} | {type: "ready", timings} | {type: "failed", error}

/**
 * @typedef {{id: number, type: "check", text: string}} CheckRequest
 * @typedef {{id: number, ok: true, result: object} | {id: number, ok: false, error: string}} CheckReply
 * @typedef {{type: "progress", stage: string, done: number, total: number}} Progress
 * @typedef {{type: "ready", timings: Object<string, number>}} Ready   start-up stage -> milliseconds
 * @typedef {{type: "failed", error: string}} Failed
 * @typedef {{state: "loading", stage: string, done: number, total: number}
 *         | {state: "ready", timings: Object<string, number>}
 *         | {state: "failed", error: string}} EngineState
 */

const WORKER_URL = new URL("./worker/worker.js", import.meta.url);

/**
 * Starts the worker at once and keeps it alive (restarting Pyodide costs seconds).
 * @param {(state: EngineState) => void} onState
 */
export function createEngine(onState) {
  let worker = null;
  let nextId = 0;
  let latestId = 0;
  const pending = new Map(); // id -> {resolve, reject}

  function fail(error) {
    for (const { reject } of pending.values()) reject(new Error(error));
    pending.clear();
    onState({ state: "failed", error });
  }

  function onMessage(event) {
    const msg = event.data;
    if (msg.type === "progress") onState({ state: "loading", ...msg });
    else if (msg.type === "ready") onState({ state: "ready", timings: msg.timings });
    else if (msg.type === "failed") fail(msg.error);
    else settle(msg);
  }

  function settle({ id, ok, result, error }) {
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    if (id !== latestId) waiter.resolve(null); // a newer check superseded this one
    else if (ok) waiter.resolve(result);
    else waiter.reject(new Error(error));
  }

  function start() {
    worker = new Worker(WORKER_URL, { type: "module" });
    worker.onmessage = onMessage;
    // Fires when the module itself cannot load (missing file, syntax error, CSP refusal).
    worker.onerror = (event) => {
      event.preventDefault();
      fail(event.message || "worker failed to start");
    };
    worker.onmessageerror = () => fail("worker message could not be read");
    onState({ state: "loading", stage: "start", done: 0, total: 1 });
  }

  /**
   * Resolves with the report, or null when a newer check was sent before this one finished.
   * @param {string} text
   * @returns {Promise<object | null>}
   */
  function check(text) {
    const id = ++nextId;
    latestId = id;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, type: "check", text });
    });
  }

  function restart() {
    worker.terminate();
    for (const { resolve } of pending.values()) resolve(null); // their answers will never come
    pending.clear();
    start();
  }

  start();
  return { check, restart };
}
