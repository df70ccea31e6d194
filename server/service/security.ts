// The checks every request passes before any route: request id, Host allowlist (against
// DNS rebinding), no browser Origin (against drive-by requests from web pages), bearer
// token, and JSON-only bodies. Each failure is a PoetError, rendered by the error handler.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { PoetError } from '../../shared/contract/errors';
import { tokenMatches } from './token';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
  }
}

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    req.id = typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
    // Created on first use: most requests never log through it, and a child logger is not free.
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, get: () => (child ??= logger.child({ req_id: req.id })) });
    res.setHeader('X-Request-Id', req.id);
    next();
  };
}

/**
 * `host:port` pairs the service answers to; `getPort` because port 0 is known only after listen.
 * `extraHosts`: names a remote client uses for this machine (POET_ALLOWED_HOSTS), for a
 * service bound beyond loopback.
 */
export function hostCheck(boundHost: string, getPort: () => number, extraHosts: readonly string[] = []) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const host = (req.headers.host ?? '').toLowerCase();
    const port = getPort();
    const names = new Set(['127.0.0.1', 'localhost', '[::1]', ...extraHosts.map((h) => h.toLowerCase())]);
    const bound = boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost;
    // An explicit non-wildcard bind address is reachable by its own name too.
    if (bound !== '0.0.0.0' && bound !== '[::]') names.add(bound.toLowerCase());
    const allowed = new Set<string>();
    for (const n of names) {
      allowed.add(`${n}:${port}`);
      if (port === 80) allowed.add(n);
    }
    if (!allowed.has(host)) {
      return next(
        new PoetError('forbidden', `Host "${req.headers.host ?? ''}" is not allowed. Use http://127.0.0.1:${port} (or localhost:${port}).`, {
          allowed_hosts: [...allowed],
        }),
      );
    }
    next();
  };
}

export function originCheck() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.headers.origin !== undefined) {
      return next(new PoetError('forbidden', 'Requests from web pages (with an Origin header) are refused. Call the service from a tool, not a browser.'));
    }
    next();
  };
}

/** Every path except GET /health needs `Authorization: Bearer TOKEN`. */
export function bearerAuth(token: string) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) return next();
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(h);
    if (!m || !tokenMatches(m[1]!.trim(), token)) {
      return next(
        new PoetError('unauthorized', m ? 'The bearer token is wrong.' : 'Missing "Authorization: Bearer TOKEN" header. The token is POET_API_KEY, or the one printed at start.'),
      );
    }
    next();
  };
}

/** A request that carries a body must be JSON. */
export function jsonOnly() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      return next(
        new PoetError('unsupported_media_type', `Request bodies must be JSON (Content-Type: application/json), not "${req.headers['content-type'] ?? 'none'}".`),
      );
    }
    next();
  };
}

/** `/poet/functions//versions/v1`, `/poet/cache/`: an empty name is a 400, not a route to something else. */
export function noEmptySegments() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.path.startsWith('/poet/') && /\/\/|\/$/.test(req.path)) {
      return next(
        new PoetError('invalid_request', `Empty name in path "${req.path}".`, [{ field: 'name', message: 'must not be empty' }]),
      );
    }
    next();
  };
}
