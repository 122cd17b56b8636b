"""Nothing the user typed is stored: not in web storage, IndexedDB, cookies or Cache Storage, in any mode."""

from __future__ import annotations

import json

import pytest
from conftest import CACHE_NAMES, open_ready
from playwright.sync_api import Browser, BrowserContext, Page, expect

SECRET = "对方：我是蓝鲸路派出所的民警，你涉嫌洗钱，把验证码604173发给我，再把钱转到安全账户，不要告诉家人"
MARKERS = ["604173", "蓝鲸路", SECRET[:20]]  # pieces of what the user typed, found in no rule

READ_STORAGE = """async (markers) => {
  const SNAPSHOT_CACHE = CACHE_NAME;
  const out = {local: {}, session: {}, cookie: document.cookie, idb: [], caches: []};
  for (let i = 0; i < localStorage.length; i++) {
    out.local[localStorage.key(i)] = localStorage.getItem(localStorage.key(i));
  }
  for (let i = 0; i < sessionStorage.length; i++) {
    out.session[sessionStorage.key(i)] = sessionStorage.getItem(sessionStorage.key(i));
  }
  out.idb = (await indexedDB.databases()).map((d) => d.name);
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const size = Number(response.headers.get("content-length") || 0);
      // Text bodies are searched too; the big runtime files are not text the user could have typed.
      const body = size && size < 2000000 && !request.url.endsWith(".wasm") ? await response.text() : "";
      // The Python snapshot is a heap: look for the markers' bytes as Python keeps text (1, 2 or 4 bytes
      // per character) and as UTF-8. (Bytes, not a decoded string: TextDecoder's "latin1" is windows-1252,
      // which maps 0x80-0x9f elsewhere, and most CJK characters have such a byte.)
      let heapHits = [];
      if (name === SNAPSHOT_CACHE) {
        const heap = new Uint8Array(await response.arrayBuffer());
        const holds = (needle) => {
          for (let i = heap.indexOf(needle[0]); i !== -1; i = heap.indexOf(needle[0], i + 1)) {
            let j = 1;
            while (j < needle.length && heap[i + j] === needle[j]) j++;
            if (j === needle.length) return true;
          }
          return false;
        };
        for (const marker of markers) {
          const codes = Array.from(marker, (c) => c.codePointAt(0));
          const forms = [
            new TextEncoder().encode(marker),
            new Uint8Array(new Uint16Array(codes).buffer),
            new Uint8Array(new Uint32Array(codes).buffer),
          ];
          if (codes.every((c) => c < 256)) forms.push(Uint8Array.from(codes));
          if (forms.some(holds)) heapHits.push(marker);
        }
        out.snapshotBytes = heap.length;
      }
      out.caches.push({name, url: request.url, body, heapHits});
    }
  }
  return out;
}""".replace("CACHE_NAME", json.dumps(CACHE_NAMES["snapshot"]))  # the worker's Python snapshot


@pytest.fixture(scope="module")
def context(browser: Browser) -> BrowserContext:
    ctx = browser.new_context()  # service workers allowed: their caches are inspected too
    yield ctx
    ctx.close()


def use_every_feature(page: Page) -> None:
    page.get_by_test_id("input").fill(SECRET)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    page.get_by_test_id("finding").first.click()
    page.get_by_test_id("input").press_sequentially("。", delay=20)  # a check by typing as well
    page.get_by_test_id("tab-guided").click()
    page.locator('label[for="q-who-police"]').click()
    page.locator('label[for="q-purpose-safe_account"]').click()
    page.get_by_test_id("guided-submit").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    page.wait_for_timeout(500)


@pytest.mark.parametrize("query", ["", "?mode=kiosk", "?mode=embed"])
def test_nothing_typed_is_stored(context: BrowserContext, site_url: str, query: str) -> None:
    page = open_ready(context, site_url + query)
    use_every_feature(page)
    page.reload()  # whatever was kept would survive a reload
    expect(page.get_by_test_id("input")).to_have_value("")
    stored = page.evaluate(READ_STORAGE, MARKERS)
    state = context.storage_state()
    page.close()

    assert stored["local"] == {} and stored["session"] == {}, stored
    assert stored["cookie"] == "" and state["cookies"] == [], state["cookies"]
    assert stored["idb"] == [], f"IndexedDB databases: {stored['idb']}"
    for entry in stored["caches"]:
        assert entry["url"].startswith(site_url), entry["url"]
        for marker in MARKERS:
            assert marker not in entry["url"] and marker not in entry["body"], (entry["name"], entry["url"])
        assert entry["heapHits"] == [], f"typed text in the kept Python snapshot: {entry['heapHits']}"
    assert stored.get("snapshotBytes", 0) > 1_000_000, "the warm-start snapshot was searched (it is kept)"
