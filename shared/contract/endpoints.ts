// Every endpoint of the POET service, core and learning: the list the route test holds the
// running service to, and what docs/service.md documents.
import { CoreEndpoints } from './api';
import type { Endpoint } from './endpoint';
import { LearningEndpoints } from './learning';

export const ENDPOINTS: readonly Endpoint[] = [...Object.values(CoreEndpoints), ...Object.values(LearningEndpoints)];
