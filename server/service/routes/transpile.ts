import { Router } from 'express';
import { TranspileRequestSchema } from '../../../shared/contract/api';
import type { ServiceDeps } from '../deps';
import { parseOr400 } from '../validate';

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
    res.json(out);
  });
  return r;
}
