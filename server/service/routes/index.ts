// The service's routers, mounted in order. A feature adds its module here with one line:
// a function `(deps: ServiceDeps) => express.Router`.
import type { Express, Router } from 'express';
import type { ServiceDeps } from '../deps';
import { cacheRoutes } from './cache';
import { functionRoutes } from './functions';
import { healthRoutes } from './health';
import { transpileRoutes } from './transpile';
import { learningRoutes } from '../../learning/routes';

export const ROUTERS: Array<(deps: ServiceDeps) => Router> = [
  healthRoutes,
  transpileRoutes,
  functionRoutes,
  cacheRoutes,
  learningRoutes,
];

export function mountRoutes(app: Express, deps: ServiceDeps): void {
  for (const make of ROUTERS) app.use(make(deps));
}
