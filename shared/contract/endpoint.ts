// What declaring an endpoint means: its method, its path pattern (Express syntax, `:name`
// parameters), whether it needs the token, and the schemas of its body and answer. The service
// registers routes from these declarations and the clients build their URLs from them, so the
// URL layout is written once (shared/contract/endpoints.ts lists them all).
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Endpoint<Res extends z.ZodType | null = z.ZodType | null> {
  method: HttpMethod;
  path: string;
  auth: boolean;
  /** The body's schema, for endpoints that take one. */
  request?: z.ZodType;
  /** The JSON answer's schema; null for a text answer (Prometheus). */
  response: Res;
  /** Status of a successful answer (200 unless said). */
  status?: number;
}

export function endpoint<Res extends z.ZodType | null>(method: HttpMethod, path: string, e: Omit<Endpoint<Res>, 'method' | 'path' | 'auth'> & { auth?: boolean }): Endpoint<Res> {
  return { method, path, auth: e.auth ?? true, ...e };
}

/** The URL path of `e` with its `:parameters` filled in (encoded) and an optional query. */
export function endpointPath(e: Pick<Endpoint, 'path'>, params: Record<string, string> = {}, query: Record<string, string | undefined> = {}): string {
  const path = e.path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`${e.path}: no value for :${name}`);
    return encodeURIComponent(v);
  });
  const q = Object.entries(query).filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== '');
  return q.length ? `${path}?${new URLSearchParams(q).toString()}` : path;
}
