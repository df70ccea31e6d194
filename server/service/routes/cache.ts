import { Router } from 'express';
import { CoreEndpoints, type CacheDeleteResponse } from '../../../shared/contract/api';
import { checkKey } from '../../storage/paths';
import type { ServiceDeps } from '../deps';
import { on } from './on';

export function cacheRoutes(deps: ServiceDeps): Router {
  const r = Router();
  on(r, CoreEndpoints.cache, async (req, res) => {
    const body: CacheDeleteResponse = { deleted: await deps.store.deleteCache(), key: null };
    req.log.info(body, 'cache dropped');
    res.json(body);
  });
  on(r, CoreEndpoints.functionCache, async (req, res) => {
    const key = checkKey(req.params.name);
    const deleted = await deps.store.deleteCache(key);
    const body: CacheDeleteResponse = { deleted, key };
    req.log.info(body, 'cache dropped');
    res.json(body);
  });
  return r;
}
