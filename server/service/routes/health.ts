import { Router } from 'express';
import type { HealthResponse, PoetHealthResponse } from '../../../shared/contract/api';
import type { ServiceDeps } from '../deps';

export function healthRoutes(deps: ServiceDeps): Router {
  const r = Router();
  const base = (): HealthResponse => ({
    status: 'ok',
    service: 'poet',
    version: deps.version,
    workspace: deps.workspace,
    uptime_s: Math.round((Date.now() - deps.startedAt) / 100) / 10,
  });

  r.get('/health', (_req, res) => {
    res.json(base());
  });

  r.get('/poet/health', async (_req, res) => {
    const storage: PoetHealthResponse['components']['storage'] = await deps.store.health();
    const body: PoetHealthResponse = { ...base(), components: { storage, generator: deps.pipeline.generatorStatus(), parser: deps.pipeline.parserStatus() } };
    res.json(body);
  });
  return r;
}
