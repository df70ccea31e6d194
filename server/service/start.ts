// startService: the one way to run the POET HTTP service, used by `poet serve`, by the
// backend process (dist/server.js) and by the tests. Returns once it is listening.
import { createPipeline } from './generators';
import { launchService, type ServiceHandle, type ServiceOptions } from './launch';

export type { ServiceHandle, ServiceOptions } from './launch';

export function startService(opts: ServiceOptions): Promise<ServiceHandle> {
  return launchService(opts, createPipeline);
}
