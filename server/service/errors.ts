// Turns anything thrown into the one error body; 500s keep their stack in the log only.
// Written against node:http's ServerResponse, for the Express app and the fast path alike.
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { PoetError } from '../../shared/contract/errors';
import { MAX_BODY_BYTES } from '../../shared/contract/api';

/** The shape of body-reading errors (body-parser's, and body.ts's, which mirror them). */
export interface BodyReadError extends Error {
  type?: string;
  status?: number;
}

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
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new PoetError('unsupported_media_type', e.message);
    case 'request.aborted':
      return new PoetError('invalid_request', 'The request was aborted while its body was being read.');
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
