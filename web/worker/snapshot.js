// Warm start: the Python heap as it is at the end of start-up, before any text of the user has reached
// Python, kept on this device. A returning visit restores it instead of booting Python and importing the
// engine. Its name carries this build's Pyodide version and engine and rules hashes (and Pyodide itself
// refuses a snapshot of another runtime build).
import { release } from "./memory.js";
import { BUILD, CACHES, SITE, cacheStorage } from "./site.js";

const SNAPSHOT_CACHE = CACHES.snapshot; // not under the prefix: sw.js deletes those when it activates
const SNAPSHOT_NAME = [BUILD.pyodide, String(BUILD.engine_sha256).slice(0, 12), String(BUILD.rules_sha256).slice(0, 12)];
const SNAPSHOT_URL = new URL(`python-snapshot.${SNAPSHOT_NAME.join(".")}.bin`, SITE).href;

export async function readSnapshot() {
  if (!cacheStorage) return null;
  try {
    const response = await caches.match(SNAPSHOT_URL, { cacheName: SNAPSHOT_CACHE });
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

export async function keepSnapshot(heap) {
  const cache = await caches.open(SNAPSHOT_CACHE);
  for (const request of await cache.keys()) if (request.url !== SNAPSHOT_URL) await cache.delete(request);
  try {
    await cache.put(SNAPSHOT_URL, new Response(heap, { headers: { "Content-Type": "application/octet-stream" } }));
  } finally {
    release(heap); // the heap's copy (tens of MB), stored or not
  }
}

export function forgetSnapshot() {
  return cacheStorage ? caches.open(SNAPSHOT_CACHE).then((cache) => cache.delete(SNAPSHOT_URL)).catch(() => {}) : null;
}
