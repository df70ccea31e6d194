// Turns anything thrown into the one error body; 500s keep their stack in the log only.
// Written against node:http's ServerResponse, for the Express app and the fast path alike.
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { PoetError } from '../../shared/contract/errors';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../shared/contract/api';

/** The shape of body-reading errors (body-parser's, and body.ts's, which mirror them). */
export interface BodyReadError extends Error {
  type?: string;
  status?: number;
  /** http-errors' flag: the message is meant for the client. */
  expose?: boolean;
  code?: string;
  errno?: number;
}

/** zlib's and brotli's error codes: a body that is not what its Content-Encoding says. */
const DECOMPRESSION_CODE = /^(Z_|ERR__)/;

export function toPoetError(err: unknown, requestId: string): PoetError {
  if (err instanceof PoetError) return err;
  const e = err as BodyReadError;
  switch (e?.type) {
    case 'entity.too.large':
      return new PoetError('payload_too_large', `Request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB). Send one function or a smaller file.`, {
        limit_bytes: MAX_BODY_BYTES,
      });
    case 'entity.parse.failed':
      return new PoetError('invalid_request', `Malformed JSON body: ${e.message}`, [{ field: '(body)', message: e.message }]);
    case 'entity.too.deep':
      return new PoetError('invalid_request', `The JSON body ${e.message}; at most ${MAX_JSON_DEPTH} levels of arrays and objects are accepted. Send flatter data.`, [
        { field: '(body)', message: `nested deeper than ${MAX_JSON_DEPTH} levels` },
      ]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new PoetError('unsupported_media_type', e.message);
    case 'request.aborted':
      return new PoetError('invalid_request', 'The request was aborted while its body was being read.');
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose !== false) {
    // The client's fault, as the thrower says: body-parser (a body that is not what its
    // Content-Encoding says), the router (a path with broken percent-encoding).
    if (typeof e.code === 'string' && DECOMPRESSION_CODE.test(e.code)) {
      return new PoetError(
        'invalid_request',
        `The request body could not be decompressed as its Content-Encoding header says (${e.message}). Send the body uncompressed, or compressed with the encoding the header names.`,
        [{ field: 'Content-Encoding', message: e.message }],
      );
    }
    return new PoetError('invalid_request', `Malformed request: ${e.message}.`);
  }
  return new PoetError('internal', `Internal error. The service log has the details under request id ${requestId}.`, { request_id: requestId });
}

/** Logs and answers a failed request. `log` is the request's child logger (it carries req_id). */
export function sendError(res: ServerResponse, err: unknown, requestId: string, log: Logger): void {
  const pe = toPoetError(err, requestId);
  if (pe.code === 'internal') log.error({ err }, 'request failed');
  else log.info({ code: pe.code, msg: pe.message }, 'request rejected');
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(pe.toBody());
  res.writeHead(pe.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function errorHandler() {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => sendError(res, err, req.id, req.log);
}

export function notFound() {
  return (req: Request, _res: Response, next: NextFunction) => {
    next(new PoetError('not_found', `No endpoint ${req.method} ${req.path}. See docs/service.md for the API.`));
  };
}
