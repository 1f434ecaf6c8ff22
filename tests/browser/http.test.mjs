// The demo server's HTTP hygiene, over raw sockets: malformed and
// oversized requests get the right status, and a client that stalls does
// not stop the server answering others. Run beside sse.test.mjs.

import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";

const url = new URL(process.env.SSE_SERVER_URL ?? "http://127.0.0.1:3000");

/// Sends `request` (bytes or text) and resolves with the status line's code
/// and the raw head, once the server has answered and closed.
function exchange(request) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks = [];
    socket.setTimeout(5000, () => socket.destroy(new Error("no answer within 5 s")));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1]);
      resolve({ status, head: text.split("\r\n\r\n")[0] });
    });
    socket.end(request);
  });
}

const cases = [
  ["a request line that is not HTTP", "HELLO\r\n\r\n", 400],
  ["binary garbage", Buffer.from([0, 159, 146, 150, 13, 10, 13, 10]), 400],
  ["a header line without a colon", "GET / HTTP/1.1\r\nHost 1\r\n\r\n", 400],
  ["a target without a leading slash", "GET x HTTP/1.1\r\n\r\n", 400],
  ["an unknown path", "GET /nope HTTP/1.1\r\n\r\n", 404],
  ["POST to the event stream", "POST /events HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405],
  ["GET on the chat endpoint", "GET /chat HTTP/1.1\r\n\r\n", 405],
  ["a 20 KiB header", `GET / HTTP/1.1\r\nX-Big: ${"x".repeat(20 * 1024)}\r\n\r\n`, 431],
  ["a body over the limit", "POST /chat HTTP/1.1\r\nContent-Length: 999999\r\n\r\n", 413],
  ["a bad Content-Length", "POST /chat HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400],
  ["a chunked body", "POST /chat HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411],
  ["a body that is not UTF-8", "POST /chat HTTP/1.1\r\nContent-Length: 2\r\n\r\n\xff\xfe", 400],
  ["a test route with a hostile run name", "GET /test/log?run=../../etc HTTP/1.1\r\n\r\n", 400],
];

for (const [name, request, expected] of cases) {
  test(`${name} gets ${expected}`, async () => {
    const payload = typeof request === "string" ? Buffer.from(request, "latin1") : request;
    const { status } = await exchange(payload);
    assert.equal(status, expected);
  });
}

test("405 names the allowed method", async () => {
  const { head } = await exchange("POST /events HTTP/1.1\r\n\r\n");
  assert.match(head, /\r\nAllow: GET(\r\n|$)/);
});

test("stalled clients do not stop the server answering others", async () => {
  const stalled = [];
  for (let i = 0; i < 20; i += 1) {
    const socket = net.connect(Number(url.port), url.hostname);
    socket.on("error", () => {});
    socket.write("GET / HTTP/1.1\r\nX-Slow: "); // and never finishes
    stalled.push(socket);
  }
  try {
    const started = Date.now();
    const { status } = await exchange("GET / HTTP/1.1\r\n\r\n");
    assert.equal(status, 200);
    assert.ok(Date.now() - started < 2000, "answered promptly");
  } finally {
    for (const socket of stalled) socket.destroy();
  }
});
