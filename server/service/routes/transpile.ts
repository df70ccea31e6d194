import { Router } from 'express';
import { CoreEndpoints, TranspileRequestSchema, type TranspileResponse } from '../../../shared/contract/api';
import type { ServiceDeps } from '../deps';
import { sendJson } from '../json-response';
import { parseOr400 } from '../../validate';
import { on } from './on';

/** POST /poet/transpile's work, shared by the Express route and the fast path (fast-path.ts). */
export async function transpile(deps: ServiceDeps, body: unknown): Promise<TranspileResponse> {
  const t0 = performance.now();
  const p = parseOr400(TranspileRequestSchema, body, 'transpile request');
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
  return out;
}

export function transpileRoutes(deps: ServiceDeps): Router {
  const r = Router();
  on(r, CoreEndpoints.transpile, async (req, res) => {
    sendJson(res, 200, await transpile(deps, req.body));
  });
  return r;
}
