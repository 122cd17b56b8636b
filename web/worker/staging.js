// Offline staging: our own static files, downloaded by this worker, are staged for the service worker
// (sw.js), whose precache then need not download them again: it copies each one whose hash matches the
// build's. Only GETs of files under this site are staged; nothing the user types is ever a request.
// Once the service worker has its own cache (a returning visit), there is nothing to stage.
import { CACHES, cacheStorage } from "./site.js";

const STAGING = CACHES.staging;
export const canStage = cacheStorage
  ? caches.keys().then((names) => !names.some((n) => n.startsWith(CACHES.prefix) && n !== STAGING), () => false)
  : Promise.resolve(false);
// The writes wait until start-up is over and the first result is on screen: 25 MB of staged files and
// the 31 MB snapshot into Cache Storage cost CPU in the browser's processes, which the start-up and the
// first check (often waiting already, pasted while Python loaded) need more. They start shortly after
// the first answer, or a second after ready when no check comes; later checks do not hold them back (a
// user who checks again and leaves would lose them). Until then the copies wait in memory.
const WRITE_AFTER_READY_MS = 1000;
const WRITE_AFTER_FIRST_ANSWER_MS = 250; // time for the page to render the answer
let startupOver;
/** Settles once start-up is over: the Cache Storage writes (staged files, the snapshot) wait for it. */
export const afterStartup = new Promise((resolve) => (startupOver = resolve));
let writeTimer = 0;
function writeAfter(ms) {
  clearTimeout(writeTimer);
  writeTimer = setTimeout(startupOver, ms);
}
let answered = false;
const staging = []; // one promise per file being staged; the page registers sw.js once all settled

/** Keeps a copy of a response of ours, from its body's chunks, once start-up is over. */
export function stageForOffline(response, chunks) {
  const put = canStage
    .then(async (yes) => {
      if (!yes) return;
      const body = await chunks;
      await afterStartup; // a Blob of them is a copy into the browser's blob store: not during start-up
      const { status, statusText, headers } = response;
      const copy = new Response(new Blob(body), { status, statusText, headers });
      await (await caches.open(STAGING)).put(response.url, copy);
    })
    .catch(() => {}); // no offline copy is fine; the page works online
  staging.push(put);
}

/** After ready: the writes start a second later, unless a first answer starts them sooner. */
export function writeAfterReady() {
  writeAfter(WRITE_AFTER_READY_MS);
}

export function writeAfterFirstAnswer() {
  if (answered) return;
  answered = true;
  writeAfter(WRITE_AFTER_FIRST_ANSWER_MS);
}

/** A failed start-up: what did download is still worth keeping for the next try. */
export function writeNow() {
  startupOver();
}

/** Settles once every staging write has (sw.js's precache must not start before, or it downloads again). */
export function allStaged() {
  return Promise.allSettled(staging);
}
