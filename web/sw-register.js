// Registers the service worker (sw.js) once the engine is ready and its worker has staged the runtime
// files it downloaded, so the precache copies them instead of fetching them a second time.
// When a new version is waiting, it offers the reload; the reload goes through skip-waiting.

const SW_URL = new URL("./sw.js", import.meta.url);

function offerUpdate(registration) {
  if (document.querySelector('[data-testid="update"]')) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "update-banner";
  button.dataset.testid = "update";
  button.textContent = "有新版本，点此更新";
  button.addEventListener("click", () => {
    button.disabled = true;
    let reloading = false;
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (!reloading) location.reload();
      reloading = true;
    });
    if (registration.waiting) registration.waiting.postMessage({ type: "skip-waiting" });
  });
  document.body.prepend(button);
}

function watch(registration) {
  // A waiting worker with a page already controlled means a new version, not the first install.
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
  registration.addEventListener("updatefound", () => {
    const incoming = registration.installing;
    if (!incoming) return;
    incoming.addEventListener("statechange", () => {
      if (incoming.state === "installed" && navigator.serviceWorker.controller) offerUpdate(registration);
    });
  });
}

async function register() {
  try {
    watch(await navigator.serviceWorker.register(SW_URL, { scope: "./" }));
  } catch (err) {
    // No offline copy (e.g. a private window, or http on an intranet host): the page works online.
    console.warn("service worker not registered:", err && err.message);
  }
}

if ("serviceWorker" in navigator && window.isSecureContext) {
  if (navigator.serviceWorker.controller) register(); // a returning visit: check for an update now
  else window.addEventListener("fanzha:engine-staged", register, { once: true });
}
