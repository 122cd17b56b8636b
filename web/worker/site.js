// What the worker runs with: this build's facts, the site's root, and whether Cache Storage is there.

// build.py replaces the string below with the build info object: {lock, engine, rules, their sha256,
// start_bytes, caches: {prefix, staging, snapshot}, ...} (tools/builder/assemble.py, copy_web).
export const BUILD = "__FANZHA_BUILD_INFO__";
export const SITE = new URL("../", import.meta.url); // dist root; every URL the worker uses is resolved from it
// The Cache Storage names (one definition: the build's); empty in an unbuilt copy, which start() refuses.
export const CACHES = typeof BUILD === "object" ? BUILD.caches : {};
// Offline staging and the Python snapshot need Cache Storage: a secure context (https or localhost).
export const cacheStorage = Boolean(self.caches) && self.isSecureContext;
