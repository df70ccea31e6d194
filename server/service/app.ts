// The Express app: security checks first, then the routers, then 404 and the error handler.
import express, { type Express } from 'express';
import { MAX_BODY_BYTES } from '../../shared/contract/api';
import type { ServiceDeps } from './deps';
import { errorHandler, notFound } from './errors';
import { mountRoutes } from './routes/index';
import { bearerAuth, hostCheck, jsonOnly, noEmptySegments, originCheck, requestContext } from './security';

export interface AppOptions {
  token: string;
  /** The address the server is bound to (its name is accepted in Host too). */
  host: string;
  /** The bound port; a function because `--port 0` is known only after listen. */
  port: () => number;
  /** More Host names to accept (with the port), for a service reached from other machines. */
  allowedHosts?: readonly string[];
}

export function createApp(deps: ServiceDeps, opts: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  app.use((req, res, next) => {
    const t0 = performance.now();
    res.on('finish', () => {
      const duration_ms = Math.round((performance.now() - t0) * 1000) / 1000;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : '(unmatched)';
      // The path only: the query string and headers (which hold the token) are never logged.
      if (deps.logger.isLevelEnabled('info')) {
        deps.logger.info({ req_id: req.id, method: req.method, path: req.path, status: res.statusCode, duration_ms }, 'request');
      }
      deps.events.emit('request', { method: req.method, route, status: res.statusCode, duration_ms });
    });
    next();
  });
  app.use(hostCheck(opts.host, opts.port, opts.allowedHosts));
  app.use(originCheck());
  app.use(bearerAuth(opts.token));
  app.use(noEmptySegments());
  app.use(jsonOnly());
  app.use(express.json({ limit: MAX_BODY_BYTES, type: 'application/json', strict: true }));

  mountRoutes(app, deps);

  app.use(notFound());
  app.use(errorHandler());
  return app;
}
