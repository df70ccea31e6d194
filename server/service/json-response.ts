// JSON answers written straight to node:http's ServerResponse, for the Express routes and the
// fast path alike.
import type { ServerResponse } from 'node:http';

/**
 * Bodies of frozen responses, serialised once: the pipeline reuses one frozen object per
 * cache hit, and JSON.stringify of its ~60 KB was the largest cost of a hit.
 */
const bodies = new WeakMap<object, Buffer>();

export function sendJson(res: ServerResponse, status: number, out: object): void {
  let body: string | Buffer;
  if (Object.isFrozen(out)) {
    let buf = bodies.get(out);
    if (!buf) bodies.set(out, (buf = Buffer.from(JSON.stringify(out))));
    body = buf;
  } else {
    body = JSON.stringify(out);
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
