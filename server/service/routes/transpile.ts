import { Router, type Response } from 'express';
import { TranspileRequestSchema } from '../../../shared/contract/api';
import type { ServiceDeps } from '../deps';
import { parseOr400 } from '../validate';

/** Bodies of frozen responses, which the pipeline reuses for cache hits: serialised once. */
const bodies = new WeakMap<object, Buffer>();

function sendJson(res: Response, out: object): void {
  if (!Object.isFrozen(out)) {
    res.json(out);
    return;
  }
  let body = bodies.get(out);
  if (!body) bodies.set(out, (body = Buffer.from(JSON.stringify(out))));
  res.set('Content-Type', 'application/json; charset=utf-8').send(body);
}

export function transpileRoutes(deps: ServiceDeps): Router {
  const r = Router();
  r.post('/poet/transpile', async (req, res) => {
    const t0 = performance.now();
    const p = parseOr400(TranspileRequestSchema, req.body, 'transpile request');
    const out = await deps.pipeline.enhance({
      code: p.code,
      language: p.language,
      functionName: p.function_name,
      key: p.key,
      config: p.config,
      contextFile: typeof p.context.file === 'string' ? p.context.file : null,
      force: p.force,
    });
    deps.events.emit('transpile', { key: out.key, version: out.version, cached: out.cached, created: out.created, duration_ms: performance.now() - t0 });
    sendJson(res, out);
  });
  return r;
}
