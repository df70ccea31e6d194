// The fast path: POST /poet/transpile and POST /poet/executions (every call of enhanced code
// reports there) served by node:http directly, before Express.
//
// Why: a repeated transpile is a cache hit that costs tens of microseconds, and Express's own
// per-request work (prototype swaps on req and res, the router walk, body-parser) cost about
// as much again; the bench (`npm run bench:service`) measured a hit at 28 % of bare node:http
// through Express. The fast path runs the same guard (security.ts), the same body limits and
// error mapping (body.ts, errors.ts), the same log line and metrics event (observe.ts) and the
// same handlers (routes/transpile.ts, learning/routes.ts's postExecution) as the Express routes.
//
// It only takes the plain case: the exact path without a query, a JSON body in UTF-8 and no
// Content-Encoding. Anything else (gzip bodies, a query) goes to Express, which has the same
// route and handles those too.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from '../../shared/contract/api';
import { readJsonBody } from './body';
import type { ServiceDeps } from './deps';
import { sendError } from './errors';
import { sendJson } from './json-response';
import { observeRequest } from './observe';
import { charset, mediaType, requestIdOf, type Guard } from './security';

/** A route the fast path serves: the parsed JSON body in, the status and the JSON answer out. */
export type FastHandler = (body: unknown) => Promise<{ status: number; body: object }>;

function plainJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (mediaType(type) !== 'application/json') return false;
  const cs = charset(type);
  const encoding = req.headers['content-encoding'];
  return (cs === undefined || cs === 'utf-8' || cs === 'utf8') && (encoding === undefined || encoding.toLowerCase() === 'identity');
}

export function withFastPath(next: RequestListener, deps: ServiceDeps, guard: Guard, routes: Record<string, FastHandler>): RequestListener {
  const table = new Map(Object.entries(routes));
  return (req: IncomingMessage, res: ServerResponse) => {
    const handler = req.method === 'POST' ? table.get(req.url ?? '') : undefined;
    if (!handler || !plainJson(req)) {
      next(req, res);
      return;
    }
    const path = req.url!;
    const id = requestIdOf(req);
    res.setHeader('X-Request-Id', id);
    observeRequest(deps, req, res, id, path, () => path);
    const refused = guard(req, path);
    const done = refused
      ? Promise.reject(refused)
      : readJsonBody(req, MAX_BODY_BYTES)
          .then(handler)
          .then((out) => sendJson(res, out.status, out.body));
    done.catch((err: unknown) => sendError(res, err, id, deps.logger.child({ req_id: id })));
  };
}
