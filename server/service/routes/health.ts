import { constants, existsSync, promises as fs } from 'node:fs';
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
    let storage: PoetHealthResponse['components']['storage'];
    // Before the first version, .dana/poet/ does not exist yet: then the workspace must be writable.
    const target = existsSync(deps.paths.root) ? deps.paths.root : deps.workspace;
    try {
      await fs.access(target, constants.W_OK);
      storage = { ok: true };
    } catch (e) {
      storage = { ok: false, message: `${target} is not writable: ${(e as Error).message}` };
    }
    const body: PoetHealthResponse = { ...base(), components: { storage, generator: deps.pipeline.generatorStatus(), parser: deps.pipeline.parserStatus() } };
    res.json(body);
  });
  return r;
}
