// The browser test: headless Chromium's own EventSource and fetch against
// examples/server.rs started with --test-hooks. Run by .ci/run:
//
//   SSE_SERVER_URL=http://127.0.0.1:PORT node --test tests/browser/
//
// CHROMIUM overrides the browser binary (default /usr/bin/chromium).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const BASE = process.env.SSE_SERVER_URL;
const RETRY_MS = 500; // what the test streams set (test_hooks.rs)
const CHROMIUM_DEFAULT_RETRY_MS = 3000;

// The events of /test/sequence that reach a listener, exactly as the
// browser must deliver them: [type, data, lastEventId]. Event 12 has a type
// nobody listens to, and must reach no listener. CR never appears: the
// format cannot carry it.
const EXPECTED = [
  ["message", "plain", "1"],
  ["message", "line one\nline two\nline three", "2"],
  ["message", "", "3"],
  ["message", "key: value: more", "4"],
  ["message", ":starts with a colon", "5"],
  ["message", "  two leading spaces", "6"],
  ["message", "日本語のテキスト、中文、한국어", "7"],
  ["message", "emoji 🎉 👩‍👩‍👧 🏳️‍🌈 end", "8"],
  ["update", '{"named": true}', "9"],
  ["update", "a\n\nb", "10"],
  ["message", "ends with a newline\n", "11"],
  ["message", "\n", "13"],
  ["ünïcode-名前", "named with a non-ASCII type", "14"],
];

let context;
let page;
let profile;
const pageErrors = [];

before(async () => {
  assert.ok(BASE, "set SSE_SERVER_URL to the server's http://HOST:PORT");
  profile = mkdtempSync(join(tmpdir(), "sse-proto-chromium-"));
  // A fresh profile (--user-data-dir) for every run.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  await page.goto(`${BASE}/`);
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/// A fresh run name, so the server's request log is this test's own.
const runName = (label) => `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

async function serverLog(run) {
  const response = await fetch(`${BASE}/test/log?run=${run}`);
  assert.equal(response.status, 200);
  return (await response.json()).requests;
}

/// Opens an EventSource in the page on `path` and records, until an `end`
/// event (or the time limit), every event reaching the listeners of the
/// types in EXPECTED, every open and every error with the time it came.
function collect(path) {
  return page.evaluate(
    ({ path, types }) =>
      new Promise((resolve) => {
        const start = performance.now();
        const at = () => Math.round(performance.now() - start);
        const got = [];
        const opens = [];
        const errors = [];
        const source = new EventSource(path);
        const finish = (timedOut) => {
          source.close();
          resolve({ got, opens, errors, timedOut });
        };
        source.onopen = () => opens.push(at());
        source.onerror = () => errors.push({ at: at(), readyState: source.readyState });
        for (const type of types) {
          source.addEventListener(type, (e) => got.push([e.type, e.data, e.lastEventId]));
        }
        source.addEventListener("end", () => finish(false));
        setTimeout(() => finish(true), 15000);
      }),
    { path, types: [...new Set(EXPECTED.map(([type]) => type))] },
  );
}

test("every event arrives in order with exact data, and named events reach their listeners", async () => {
  const run = runName("sequence");
  const result = await collect(`/test/sequence?run=${run}`);
  assert.equal(result.timedOut, false, "the end event arrived");
  assert.deepEqual(result.got, EXPECTED);
  assert.equal(result.errors.length, 0);
  const requests = await serverLog(run);
  assert.equal(requests.length, 1);
  assert.equal(requests[0].lastEventId, null);
});

test("a dropped stream is resumed after the retry delay with Last-Event-ID, every event exactly once", async () => {
  const run = runName("drop");
  // The server sends events 1-5, then all of event 6 but its blank line, and
  // closes: Chromium must discard event 6 and resume after 5.
  const result = await collect(`/test/sequence?run=${run}&drop=5`);
  assert.equal(result.timedOut, false, "the end event arrived");
  assert.deepEqual(result.got, EXPECTED, "every event exactly once, in order");
  assert.equal(result.opens.length, 2, "opened, then reopened once");
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0].readyState, 0, "CONNECTING: the browser will reconnect");

  const requests = await serverLog(run);
  assert.equal(requests.length, 2);
  assert.equal(requests[0].lastEventId, null);
  assert.equal(requests[1].lastEventId, "5");
  const delay = requests[1].atMs - requests[0].atMs;
  assert.ok(delay >= RETRY_MS - 50, `reconnected after ${delay} ms, sooner than retry ${RETRY_MS} ms`);
  assert.ok(delay < CHROMIUM_DEFAULT_RETRY_MS, `reconnected after ${delay} ms: retry ignored`);
});

test("a 204 answer stops Chromium from reconnecting", async () => {
  const run = runName("stop");
  const result = await page.evaluate(
    ({ path, waitMs }) =>
      new Promise((resolve) => {
        const data = [];
        const states = [];
        const source = new EventSource(path);
        source.onmessage = (e) => data.push(e.data);
        source.onerror = () => {
          states.push(source.readyState);
          if (source.readyState !== EventSource.CLOSED) return;
          // Closed: wait several retry periods to see that it stays closed.
          setTimeout(() => resolve({ data, states, finalState: source.readyState }), waitMs);
        };
        setTimeout(() => resolve({ data, states, finalState: source.readyState, timedOut: true }), 10000);
      }),
    { path: `/test/stop?run=${run}`, waitMs: 4 * RETRY_MS },
  );
  assert.equal(result.timedOut, undefined, "the source closed");
  assert.deepEqual(result.data, ["before the stop"]);
  assert.deepEqual(result.states, [0, 2], "one reconnect, then CLOSED");
  assert.equal(result.finalState, 2, "still CLOSED");
  const requests = await serverLog(run);
  assert.equal(requests.length, 2, "no request after the 204");
  assert.equal(requests[1].lastEventId, "1");
});

test("a POST token stream arrives whole through fetch and a streaming body reader", async () => {
  const body = "Hello 世界 🦀!\nsecond line\n\n  indented: with: colons\n:leading colon\nemoji 👩‍👩‍👧 last";
  const result = await page.evaluate(async (body) => {
    const tokens = [];
    const done = await window.sseDemo.streamPost("/test/chat", body, (token) => tokens.push(token));
    return { tokens, done };
  }, body);
  assert.equal(result.tokens.join(""), body);
  assert.ok(result.tokens.length > 10, "streamed in many tokens");
  assert.deepEqual(JSON.parse(result.done), { tokens: result.tokens.length });
});

test("the demo page shows live events and a streamed chat reply", async () => {
  await page.waitForFunction(() => document.querySelectorAll("#feed .event").length >= 2, null, {
    timeout: 10000,
  });
  assert.equal(await page.textContent("#status-text"), "live");
  await page.fill("#prompt", "Hi from Chromium ✓");
  await page.click("#send");
  await page.waitForFunction(() => document.querySelector("#chat-status").textContent.startsWith("done"), null, {
    timeout: 15000,
  });
  const reply = await page.textContent("#reply");
  assert.match(reply, /^You asked: “Hi from Chromium ✓” \(4 words\)\./);
  assert.match(reply, /日本語, Ελληνικά or 🦀/);
  assert.deepEqual(pageErrors, []);
});

test("the demo page resumes its live stream after a drop, without gaps or repeats", async () => {
  const feedIds = () =>
    page.$$eval("#feed .event .id", (nodes) => nodes.map((node) => Number(node.textContent.slice(1))));
  const before = (await feedIds()).length;
  await page.click("#drop");
  await page.waitForFunction(() => document.querySelector("#feed .divider.good"), null, { timeout: 10000 });
  assert.equal(await page.textContent("#reconnects"), "1");
  // Wait for two events after the reconnection, one of them live.
  await page.waitForFunction(
    (count) => document.querySelectorAll("#feed .event").length >= count,
    before + 2,
    { timeout: 10000 },
  );
  const ids = await feedIds(); // newest first
  const expected = ids.map((_, i) => ids[0] - i);
  assert.deepEqual(ids, expected, "consecutive IDs: nothing lost, nothing twice");
  assert.deepEqual(pageErrors, []);
});
