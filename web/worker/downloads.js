// The start-up's downloads. Every one goes through fetch (Pyodide's included), which is watched here:
// the bytes are counted as they come (progress.js) and our own files, on a first visit, are staged for
// offline use (staging.js). And this build's own files, fetched and checked against their sha256.
import { countBytes } from "./progress.js";
import { SITE, cacheStorage } from "./site.js";
import { canStage, stageForOffline } from "./staging.js";

export class StartError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason; // "download" | "integrity" | "python": lets the page pick its words
  }
}

const plainFetch = self.fetch.bind(self);
let keepChunks = cacheStorage; // until canStage says there is no need
canStage.then((yes) => (keepChunks = keepChunks && yes));

async function readAlong(copy, keep) {
  const reader = copy.body.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    countBytes(value.byteLength);
    if (keep && keepChunks) chunks.push(value);
    else chunks.length = 0; // a returning visit: drop what was kept before canStage answered
  }
}

// The response itself goes back untouched (a rebuilt Response would lose its URL, and with it Chromium's
// cache of compiled WebAssembly); one clone is read alongside, for the count and the staging. (One clone
// for both: each clone of a response is one more copy of the 20 MB of a first visit, made while Python boots.)
export function watchDownloads() {
  self.fetch = async (...args) => {
    const response = await plainFetch(...args);
    if (!response.body) return response;
    const fromSite = response.url.startsWith(SITE.href) && response.type === "basic" && response.ok;
    const keep = fromSite && keepChunks;
    const chunks = readAlong(response.clone(), keep);
    chunks.catch(() => {});
    if (keep) stageForOffline(response, chunks);
    return response;
  };
}

async function fetchBytes(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new StartError("download", `${url.pathname}: ${err.message}`);
  }
  if (!response.ok) throw new StartError("download", `${url.pathname}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Our own files must be the very ones this build pinned: a stale cache or a tampered file is refused.
export function expectSha256(url, actual, expected) {
  if (actual !== expected) throw new StartError("integrity", `${url.pathname}: sha256 ${actual}, expected ${expected}`);
}

// Downloads a file of this build and checks its sha256 off the Python thread (crypto.subtle), so both
// happen while Python boots. Plain http on an intranet host has no crypto.subtle: `verified` is then
// false, and Python's hashlib checks it once it runs.
export async function download(path, sha256) {
  const url = new URL(path, SITE);
  const data = await fetchBytes(url);
  if (!self.crypto || !crypto.subtle) return { url, data, sha256, verified: false };
  expectSha256(url, hex(await crypto.subtle.digest("SHA-256", data)), sha256);
  return { url, data, sha256, verified: true };
}
