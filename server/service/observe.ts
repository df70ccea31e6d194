// The per-request log line and the `request` event (which feeds the metrics), for the Express
// app and the fast path alike. Only the path is logged: the query string and the headers
// (which hold the token) never are.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceDeps } from './deps';

/** `route()` is asked when the response finishes: Express knows the matched pattern only then. */
export function observeRequest(deps: ServiceDeps, req: IncomingMessage, res: ServerResponse, id: string, path: string, route: () => string): void {
  const t0 = performance.now();
  res.once('finish', () => {
    const duration_ms = Math.round((performance.now() - t0) * 1000) / 1000;
    if (deps.logger.isLevelEnabled('info')) {
      deps.logger.info({ req_id: id, method: req.method, path, status: res.statusCode, duration_ms }, 'request');
    }
    deps.events.emit('request', { method: req.method ?? '', route: route(), status: res.statusCode, duration_ms });
  });
}
