// Turns anything thrown into the one error body; 500s keep their stack in the log only.
import type { NextFunction, Request, Response } from 'express';
import { PoetError } from '../../shared/contract/errors';
import { MAX_BODY_BYTES } from '../../shared/contract/api';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  body?: string;
}

export function toPoetError(err: unknown, requestId: string): PoetError {
  if (err instanceof PoetError) return err;
  const e = err as BodyParserError;
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

export function errorHandler() {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const pe = toPoetError(err, req.id);
    if (pe.code === 'internal') req.log.error({ err }, 'request failed');
    else req.log.info({ code: pe.code, msg: pe.message }, 'request rejected');
    if (res.headersSent) return res.end();
    res.status(pe.status).json(pe.toBody());
  };
}

export function notFound() {
  return (req: Request, _res: Response, next: NextFunction) => {
    next(new PoetError('not_found', `No endpoint ${req.method} ${req.path}. See docs/service.md for the API.`));
  };
}
