import { Router } from 'express';
import { CoreEndpoints, type HealthResponse, type PoetHealthResponse } from '../../../shared/contract/api';
import type { ServiceDeps } from '../deps';
import { on } from './on';

export function healthRoutes(deps: ServiceDeps): Router {
  const r = Router();
  const base = (): HealthResponse => ({
    status: 'ok',
    service: 'poet',
    version: deps.version,
    workspace: deps.workspace,
    uptime_s: Math.round((Date.now() - deps.startedAt) / 100) / 10,
  });

  on(r, CoreEndpoints.health, (_req, res) => {
    res.json(base());
  });

  on(r, CoreEndpoints.poetHealth, async (_req, res) => {
    const storage: PoetHealthResponse['components']['storage'] = await deps.store.health();
    const body: PoetHealthResponse = { ...base(), components: { storage, generator: deps.pipeline.generatorStatus(), parser: deps.pipeline.parserStatus() } };
    res.json(body);
  });
  return r;
}
