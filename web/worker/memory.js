// Big buffers let go as soon as they have been used.

/**
 * Frees a typed array's memory now (its buffer detached) instead of whenever the collector runs: the
 * start-up's big buffers (the engine archive, a Python snapshot, staged files) would otherwise still be
 * held when a screenshot's reader loads, and a phone's renderer has little headroom. Browsers without
 * ArrayBuffer.transfer just wait; wasm memory cannot be detached and is left alone.
 */
export function release(view) {
  try {
    view?.buffer?.transfer?.(0);
  } catch {
    // not detachable: the collector frees it
  }
}
