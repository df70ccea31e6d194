// Registers a route for an endpoint declared in the contract: its method and path come from
// there, so the service cannot answer at a path the clients do not build.
import type { RequestHandler, Router } from 'express';
import type { Endpoint } from '../../../shared/contract/endpoint';

export function on(r: Router, e: Endpoint, handler: RequestHandler): void {
  const route = r.route(e.path);
  if (e.method === 'GET') route.get(handler);
  else if (e.method === 'POST') route.post(handler);
  else if (e.method === 'PUT') route.put(handler);
  else route.delete(handler);
}
