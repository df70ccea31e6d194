// Reads a JSON request body for the fast path, with body-parser's limits and error types (so
// toPoetError maps both the same way): 413 past the limit, 400 for malformed JSON, a body whose
// top level is not an object or array, or one nested deeper than MAX_JSON_DEPTH, 400 when the
// client goes away mid-body. The depth check is the Express parser's too (app.ts).
import type { IncomingMessage } from 'node:http';
import { MAX_JSON_DEPTH } from '../../shared/contract/api';
import type { BodyReadError } from './errors';

function bodyError(type: string, status: number, message: string): BodyReadError {
  return Object.assign(new Error(message), { type, status });
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Throws a 400 body error when the JSON text in `buf` nests arrays and objects deeper than
 * MAX_JSON_DEPTH. Deep nesting is harmless to JSON.parse but not to everything after it
 * (JSON.stringify, the validators and the learning code recurse: 10,000 levels overflowed the
 * stack), and parsing it costs far more per byte. One pass over the bytes, before parsing:
 * strings are skipped with indexOf, so a body that is mostly one big string costs microseconds.
 * Works on UTF-8 (the only charset accepted, security.ts): every structural character is ASCII.
 */
export function checkJsonDepth(buf: Uint8Array): void {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let depth = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === QUOTE) {
      // To the closing quote: one preceded by an even number of backslashes.
      for (;;) {
        i = b.indexOf(QUOTE, i + 1);
        if (i < 0) return; // unterminated: JSON.parse says so
        let k = i - 1;
        while (b[k] === BACKSLASH) k--;
        if ((i - 1 - k) % 2 === 0) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw bodyError('entity.too.deep', 400, `nests deeper than ${MAX_JSON_DEPTH} levels (at byte ${i})`);
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
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
        const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        try {
          checkJsonDepth(buf);
        } catch (e) {
          return fail(e);
        }
        const text = buf.toString('utf8');
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
