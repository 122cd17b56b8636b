// Loaded first by index.html, as a classic script ahead of the stylesheet: it starts the engine's worker
// while the page is still being parsed. Python's start-up is the longest wait of a first visit, and a
// module script, even an async one, ran only after the page's first style and layout (about 90 ms later
// here). engine-client.js's createEngine adopts the worker with every message it sent meanwhile.
// Classic on purpose: it imports nothing, so nothing else has to arrive before it runs.
(() => {
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") return; // createEngine says why
  let readsType = false; // a browser without module workers ignores {type: "module"} unread
  const options = {
    get type() {
      readsType = true;
      return "module";
    },
  };
  try {
    const worker = new Worker(new URL("worker/worker.js", document.currentScript.src), options);
    if (!readsType) {
      worker.terminate(); // it would fail on its first import; createEngine reports the browser too old
      return;
    }
    const events = [];
    worker.onmessage = (event) => events.push(event);
    worker.onerror = (event) => {
      event.preventDefault();
      events.push(event);
    };
    window.fanzhaPrestarted = { worker, events };
  } catch {
    // createEngine tries again and reports why it cannot
  }
})();
