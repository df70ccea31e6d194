// The request listener: the transpile fast path (fast-path.ts), then the Express app with the
// same guard first, the routers, then 404 and the error handler.
import type { RequestListener } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import { CoreEndpoints, MAX_BODY_BYTES } from '../../shared/contract/api';
import { LearningEndpoints } from '../../shared/contract/learning';
import type { ServiceDeps } from './deps';
import { checkJsonDepth } from './body';
import { errorHandler, notFound } from './errors';
import { withFastPath } from './fast-path';
import { observeRequest } from './observe';
import { mountRoutes } from './routes/index';
import { transpile } from './routes/transpile';
import { learningService, postExecution } from '../learning/routes';
import { createGuard, requestIdOf, type GuardOptions } from './security';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
  }
}

export type AppOptions = GuardOptions;

export function createApp(deps: ServiceDeps, opts: AppOptions): RequestListener {
  const guard = createGuard(opts);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const id = (req.id = requestIdOf(req));
    // Created on first use: most requests never log through it, and a child logger is not free.
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, get: () => (child ??= deps.logger.child({ req_id: id })) });
    res.setHeader('X-Request-Id', id);
    observeRequest(deps, req, res, id, req.path, () => (req.route ? `${req.baseUrl}${String(req.route.path)}` : '(unmatched)'));
    next(guard(req, req.path));
  });
  // `verify` sees the body after any Content-Encoding is undone, before it is parsed.
  app.use(express.json({ limit: MAX_BODY_BYTES, type: 'application/json', strict: true, verify: (_req, _res, buf) => checkJsonDepth(buf) }));

  mountRoutes(app, deps);

  app.use(notFound());
  app.use(errorHandler());

  const learning = learningService(deps);
  return withFastPath(app, deps, guard, {
    [CoreEndpoints.transpile.path]: async (body) => ({ status: 200, body: await transpile(deps, body) }),
    [LearningEndpoints.postExecution.path]: async (body) => ({ status: 201, body: await postExecution(learning, body) }),
  });
}
