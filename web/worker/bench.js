// For bench/browser.py (through the devtools protocol; nothing on the page can call it): times a check
// of `text` beside jieba.lcut of the same text, in this worker. It returns only timings.

/** @param {Promise<{pyodide: object, fanzha: object}>} ready the started engine */
export function installBenchHook(ready) {
  self.fanzhaBench = async (text, runs = 5) => {
    const { pyodide, fanzha } = await ready;
    const lcut = pyodide.runPython("import jieba\nlambda t: len(jieba.lcut(t))");
    const times = { check_ms: [], lcut_ms: [] };
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      fanzha.check_json(text);
      times.check_ms.push(performance.now() - t0);
      t0 = performance.now();
      lcut(text);
      times.lcut_ms.push(performance.now() - t0);
    }
    lcut.destroy();
    return times;
  };
}
