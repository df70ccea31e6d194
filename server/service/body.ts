// Reads a JSON request body for the fast path, with body-parser's limits and error types (so
// toPoetError maps both the same way): 413 past the limit, 400 for malformed JSON or a body
// whose top level is not an object or array, 400 when the client goes away mid-body.
import type { IncomingMessage } from 'node:http';
import type { BodyReadError } from './errors';

function bodyError(type: string, status: number, message: string): BodyReadError {
  return Object.assign(new Error(message), { type, status });
}

export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((ok, fail) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      fail(bodyError('entity.too.large', 413, `request entity too large (${declared} > ${limit} bytes)`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      f();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Keep draining (without storing) so the connection can carry the 413 answer.
        req.resume();
        settle(() => fail(bodyError('entity.too.large', 413, `request entity too large (over ${limit} bytes)`)));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', () => settle(() => fail(bodyError('request.aborted', 400, 'request aborted'))));
    req.once('close', () => settle(() => fail(bodyError('request.aborted', 400, 'request aborted'))));
    req.once('end', () =>
      settle(() => {
        const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString('utf8');
        const first = /\S/.exec(text);
        if (!first) return ok({});
        if (first[0] !== '{' && first[0] !== '[') {
          return fail(bodyError('entity.parse.failed', 400, `Unexpected token "${first[0]}" at position ${first.index}: the body must be a JSON object`));
        }
        try {
          ok(JSON.parse(text));
        } catch (e) {
          fail(bodyError('entity.parse.failed', 400, (e as Error).message));
        }
      }),
    );
  });
}
